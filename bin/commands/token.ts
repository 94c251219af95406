/** `ferry token create --name NAME [--role admin] [--scopes read,write,infer]`: prints a new API token once. */
import { parseArgs } from "node:util";
import { closeDb, getDb } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { createApiToken } from "@/lib/tokens/create-api-token";
import { SYSTEM_ACTOR } from "@/lib/audit/record-audit";
import { ROLES, SCOPES, type Role, type Scope } from "@/lib/auth/roles";

export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: "string" }, role: { type: "string", default: "admin" }, scopes: { type: "string", default: "read,write,infer" } },
  });
  if (positionals[0] !== "create" || !values.name) {
    console.error("usage: ferry token create --name NAME [--role admin|operator|viewer] [--scopes read,write,infer]");
    return 2;
  }
  const role = values.role as Role;
  if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(", ")}`);
  const scopes = values.scopes!.split(",").map((s) => s.trim()) as Scope[];
  const bad = scopes.filter((s) => !SCOPES.includes(s));
  if (bad.length) throw new Error(`unknown scope(s) ${bad.join(", ")}; scopes are ${SCOPES.join(", ")}`);
  await migrateDatabase();
  // The CLI runs on the server with direct database access: it acts as the system, with admin rights.
  const { secret } = await createApiToken({ db: await getDb(), name: values.name, role, scopes, actor: SYSTEM_ACTOR, actorRole: "admin" });
  console.log(secret);
  await closeDb();
  return 0;
}
