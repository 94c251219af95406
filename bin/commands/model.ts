/**
 * `ferry model labels NAME VERSION FILE|--clear` — replaces (or removes) a version's class labels, as the version page's
 * labels editor does: PATCH /api/models/NAME/versions/VERSION with the file's text, checked against the outputs.
 * `ferry model metrics NAME VERSION NAME=VALUE…|--clear` — replaces (or removes) a version's training metrics.
 * `ferry model delete NAME [VERSION] [--archive] [--json]` — deleting from a pipeline what the dashboard's delete cards do:
 *   delete NAME              DELETE /api/models/NAME: the model, every version and its files (refused while an
 *                            endpoint serves it or a version is being validated)
 *   delete NAME VERSION      DELETE /api/models/NAME/versions/VERSION: an archived version and its files; with
 *                            --archive it is archived first (refused, with the reason, while an alias or endpoint uses it)
 * Its number is never given again. For many old versions at once: `ferry prune`.
 */
import fs from "node:fs";
import { archiveAndDeleteVersion } from "@/lib/registry/cli-delete-version";
import { apiClient, CliError, cliCommand, failure, formatSignature } from "@/lib/registry/ferry-api-client";
import { metricsSummary } from "@/lib/registry/version-metrics";

const USAGE = `usage: ferry model delete NAME                       delete a model with all its versions
       ferry model delete NAME VERSION [--archive]     delete one archived version (--archive: archive it first)
       ferry model labels NAME VERSION FILE|--clear    replace a version's class labels (one per line) or remove them
       ferry model metrics NAME VERSION auc=0.93 …|--clear   replace a version's training metrics or remove them`;

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

/** A version number as typed ("3" or "v3"), or a usage error. */
function versionArg(raw: string): number {
  const version = Number(raw.replace(/^v/i, ""));
  if (!/^v?\d{1,9}$/i.test(raw) || version < 1) throw new CliError(`${USAGE}\n('${raw}' is not a version number)`, 2);
  return version;
}

export const run = cliCommand("model", USAGE, {
  archive: { type: "boolean", default: false },
  clear: { type: "boolean", default: false },
  json: { type: "boolean", default: false },
}, async ({ values, positionals }) => {
  const [sub, name, rawVersion, ...rest] = positionals;
  const api = apiClient();
  if (sub === "labels" && name && rawVersion !== undefined && rest.length === (values.clear ? 0 : 1)) {
    const version = versionArg(rawVersion);
    const file = rest[0];
    if (file !== undefined && !(fs.existsSync(file) && fs.statSync(file).isFile())) throw new CliError(`no such file: ${file}`, 2);
    const r = await api.request("PATCH", `/api/models/${encodeURIComponent(name)}/versions/${version}`, { json: { labels: file === undefined ? null : fs.readFileSync(file, "utf8") } });
    if (!r.ok) throw failure(r.status, r.data);
    if (values.json) console.log(JSON.stringify(r.data, null, 2));
    else console.log(`${name} v${version}: ${file === undefined ? "class labels removed" : "class labels saved"}\n${formatSignature(r.data.signature)}`);
    return 0;
  }
  if (sub === "metrics" && name && rawVersion !== undefined && (values.clear ? rest.length === 0 : rest.length > 0)) {
    const version = versionArg(rawVersion);
    const r = await api.request("PATCH", `/api/models/${encodeURIComponent(name)}/versions/${version}`, { json: { metrics: values.clear ? null : rest.join("\n") } });
    if (!r.ok) throw failure(r.status, r.data);
    if (values.json) console.log(JSON.stringify(r.data, null, 2));
    else console.log(`${name} v${version}: ${values.clear ? "training metrics removed" : `training metrics saved: ${metricsSummary(r.data.metrics as Record<string, number>, Infinity)}`}`);
    return 0;
  }
  if (sub !== "delete" || !name || rest.length) throw new CliError(USAGE, 2);
  if (rawVersion === undefined) {
    if (values.archive) throw new CliError(`${USAGE}\n(--archive applies to one version)`, 2);
    const r = await api.request("DELETE", `/api/models/${encodeURIComponent(name)}`);
    if (!r.ok) throw failure(r.status, r.data);
    const a = r.data.artifacts as { deleted: number; bytes: number };
    if (values.json) console.log(JSON.stringify(r.data, null, 2));
    else console.log(`model ${name} deleted with ${count(Number(r.data.versions), "version")}; ${count(a.deleted, "file")} removed (${a.bytes} bytes freed)`);
    return 0;
  }
  const version = versionArg(rawVersion);
  const outcome = await archiveAndDeleteVersion(api, name, version, { archived: !values.archive });
  if (!outcome.deleted) throw new CliError(values.archive ? outcome.reason : `${outcome.reason} (ferry model delete ${name} ${version} --archive does both)`, 1);
  if (values.json) console.log(JSON.stringify({ model: name, version, bytesFreed: outcome.bytes }, null, 2));
  else console.log(`${name} v${version} deleted (${outcome.bytes} bytes of files freed); its number is not given again`);
  return 0;
});
