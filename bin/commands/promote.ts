/** `ferry promote NAME VERSION --alias ALIAS [--force] [--reason TEXT] [--json]` — PUT /api/models/NAME/aliases/ALIAS. */
import { apiClient, CliError, cliCommand, failure } from "@/lib/registry/ferry-api-client";

const USAGE = "usage: ferry promote NAME VERSION --alias ALIAS [--force] [--reason TEXT]";

export const run = cliCommand("promote", USAGE, {
  alias: { type: "string", short: "a" },
  force: { type: "boolean", default: false },
  reason: { type: "string" },
  json: { type: "boolean", default: false },
}, async ({ values, positionals }) => {
  const [name, versionText] = positionals;
  const version = Number(versionText?.replace(/^v/i, ""));
  if (!name || !Number.isInteger(version) || version < 1 || !values.alias || positionals.length !== 2) throw new CliError(USAGE, 2);
  const api = apiClient();
  const r = await api.request("PUT", `/api/models/${encodeURIComponent(name)}/aliases/${encodeURIComponent(values.alias)}`, {
    json: { version, force: values.force || undefined, reason: values.reason },
  });
  if (!r.ok) throw failure(r.status, r.data);
  if (values.json) console.log(JSON.stringify(r.data, null, 2));
  else if (r.status === 202) console.log(`promotion of ${name} v${version} to '${values.alias}' awaits approval by another operator (request ${r.data.requestId})`);
  else if (r.data.status === "unchanged") console.log(`${name}:${values.alias} already points to v${version}`);
  else {
    const from = r.data.fromVersion ? `v${r.data.fromVersion} → ` : "";
    const eps = (r.data.endpoints as string[] | undefined)?.length ? ` (endpoints updated: ${(r.data.endpoints as string[]).join(", ")})` : "";
    console.log(`${name}:${values.alias} ${from}v${version}${r.data.forced ? " (forced)" : ""}${eps}`);
  }
  return 0;
});
