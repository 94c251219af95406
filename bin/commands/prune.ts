/**
 * `ferry prune NAME --keep N [--dry-run] [--json]` — for a CI pipeline that uploads on every build: archives and deletes
 * the versions older than the newest N, except those an alias names and those an endpoint routes to (the server refuses
 * to archive those and says why; they are kept and listed). Each step is an ordinary API call, authorized and audited.
 */
import { apiClient, CliError, cliCommand, failure } from "@/lib/registry/ferry-api-client";
import { prunePlan, type PrunableVersion } from "@/lib/registry/prune-plan";

const USAGE = "usage: ferry prune NAME --keep N [--dry-run] [--json]";

export const run = cliCommand("prune", USAGE, {
  keep: { type: "string", short: "k" },
  "dry-run": { type: "boolean", default: false },
  json: { type: "boolean", default: false },
}, async ({ values, positionals }) => {
  const [name] = positionals;
  const keep = Number(values.keep);
  if (!name || positionals.length !== 1 || values.keep === undefined || !Number.isInteger(keep) || keep < 0) throw new CliError(USAGE, 2);
  const api = apiClient();
  const path = `/api/models/${encodeURIComponent(name)}`;
  const model = await api.request("GET", path);
  if (!model.ok) throw failure(model.status, model.data);
  const plan = prunePlan(model.data.versions as PrunableVersion[], keep);

  const pruned: number[] = [];
  const kept = [...plan.kept];
  let bytes = 0;
  for (const v of plan.candidates) {
    if (values["dry-run"]) continue;
    const version = `${path}/versions/${v.version}`;
    if (v.status !== "archived") {
      const archived = await api.request("PATCH", version, { json: { status: "archived" } });
      if (archived.status === 409) {
        kept.push({ version: v.version, reason: String(archived.data.error) });
        continue;
      }
      if (!archived.ok) throw failure(archived.status, archived.data);
    }
    const deleted = await api.request("DELETE", version);
    if (!deleted.ok) throw failure(deleted.status, deleted.data);
    pruned.push(v.version);
    bytes += Number((deleted.data.artifacts as { bytes?: number } | undefined)?.bytes ?? 0);
  }
  kept.sort((a, b) => a.version - b.version);

  if (values.json) {
    console.log(JSON.stringify({ model: name, dryRun: values["dry-run"], pruned: values["dry-run"] ? plan.candidates.map((v) => v.version) : pruned, bytesFreed: bytes, kept }, null, 2));
    return 0;
  }
  const list = (ns: number[]) => ns.map((n) => `v${n}`).join(", ");
  if (values["dry-run"]) console.log(plan.candidates.length ? `${name}: would prune ${list(plan.candidates.map((v) => v.version))}` : `${name}: nothing to prune`);
  else console.log(pruned.length ? `${name}: pruned ${list(pruned)} (${bytes} bytes of files freed)` : `${name}: nothing pruned`);
  for (const k of kept) console.log(`  kept v${k.version}: ${k.reason}`);
  return 0;
});
