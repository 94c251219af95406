/**
 * `ferry prune NAME --keep N [--dry-run] [--json]` — for a CI pipeline that uploads on every build: archives and deletes
 * the versions older than the newest N, except those an alias names and those an endpoint routes to (the server refuses
 * to archive those and says why; they are kept and listed). Each step is an ordinary API call, authorized and audited.
 */
import { apiClient, CliError, cliCommand, failure } from "@/lib/registry/ferry-api-client";
import { archiveAndDeleteVersion } from "@/lib/registry/cli-delete-version";
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
    const outcome = await archiveAndDeleteVersion(api, name, v.version, { archived: v.status === "archived" });
    if (!outcome.deleted) {
      kept.push({ version: v.version, reason: outcome.reason });
      continue;
    }
    pruned.push(v.version);
    bytes += outcome.bytes;
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
