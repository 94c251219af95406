/** `ferry rollback NAME --alias ALIAS [--reason TEXT] [--json]` — moves the alias back to its previous target. */
import { apiClient, CliError, cliCommand, failure } from "@/lib/registry/ferry-api-client";

const USAGE = "usage: ferry rollback NAME --alias ALIAS [--reason TEXT]";

export const run = cliCommand("rollback", USAGE, {
  alias: { type: "string", short: "a" },
  reason: { type: "string" },
  json: { type: "boolean", default: false },
}, async ({ values, positionals }) => {
  const [name] = positionals;
  if (!name || !values.alias || positionals.length !== 1) throw new CliError(USAGE, 2);
  const api = apiClient();
  const r = await api.request("POST", `/api/models/${encodeURIComponent(name)}/aliases/${encodeURIComponent(values.alias)}/rollback`, {
    json: values.reason ? { reason: values.reason } : {},
  });
  if (!r.ok) throw failure(r.status, r.data);
  if (values.json) console.log(JSON.stringify(r.data, null, 2));
  else console.log(`${name}:${values.alias} rolled back v${r.data.fromVersion} → v${r.data.version}`);
  return 0;
});
