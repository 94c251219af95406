/**
 * `ferry endpoint list | create | delete` — the endpoints API from a pipeline:
 *   list                                          GET /api/endpoints
 *   create NAME --model M (--alias A | --version V) [--description T]   PUT /api/endpoints/NAME (create only: 409 if it exists)
 *   delete NAME                                   DELETE /api/endpoints/NAME
 *   wait NAME [--timeout S]                       polls GET /api/endpoints/NAME until every data plane routes with its
 *                                                 current generation, its versions ready (after a promotion or a
 *                                                 routing change; lib/endpoints/endpoint-switch.ts)
 * Routing changes (weights, rules, shadow, canary) go through PUT with the generation, or the endpoint's page.
 */
import { switchProgress } from "@/lib/endpoints/endpoint-switch";
import { apiClient, CliError, cliCommand, failure } from "@/lib/registry/ferry-api-client";

const USAGE = `usage: ferry endpoint list
       ferry endpoint create NAME --model MODEL (--alias ALIAS | --version N) [--description TEXT]
       ferry endpoint delete NAME
       ferry endpoint wait NAME [--timeout SECONDS]   until every data plane serves its current config (default 120 s)`;

type Variant = { name: string; alias?: string; resolvedVersion: number | null; share: number; states: { state: string }[] };
type Endpoint = { name: string; model: string; generation: number; variants: Variant[] };

const describeVariant = (v: Variant) =>
  `${v.name} ${Math.round(v.share * 100)}% → ${v.alias ? `${v.alias} (v${v.resolvedVersion ?? "?"})` : `v${v.resolvedVersion}`}${v.states.length ? ` [${[...new Set(v.states.map((s) => s.state))].join(", ")}]` : ""}`;

export const run = cliCommand("endpoint", USAGE, {
  model: { type: "string", short: "m" },
  alias: { type: "string", short: "a" },
  version: { type: "string" },
  description: { type: "string" },
  json: { type: "boolean", default: false },
  timeout: { type: "string" },
}, async ({ values, positionals }) => {
  const [sub, name, ...rest] = positionals;
  const api = apiClient();
  if (sub === "list" && !name) {
    const r = await api.request("GET", "/api/endpoints");
    if (!r.ok) throw failure(r.status, r.data);
    const endpoints = (r.data.endpoints ?? []) as Endpoint[];
    if (values.json) console.log(JSON.stringify(endpoints, null, 2));
    else if (!endpoints.length) console.log("no endpoints yet: ferry endpoint create NAME --model MODEL --alias production");
    else for (const e of endpoints) console.log(`${e.name}  (${e.model}, generation ${e.generation})\n${e.variants.map((v) => `  ${describeVariant(v)}`).join("\n")}`);
    return 0;
  }
  if (sub === "create" && name && !rest.length) {
    const version = values.version === undefined ? undefined : Number(values.version.replace(/^v/i, ""));
    if (!values.model || (values.alias === undefined) === (version === undefined) || (version !== undefined && !(Number.isInteger(version) && version >= 1))) {
      throw new CliError(`${USAGE}\n(create needs --model and exactly one of --alias or --version)`, 2);
    }
    const target = values.alias !== undefined ? { alias: values.alias } : { version };
    const r = await api.request("PUT", `/api/endpoints/${encodeURIComponent(name)}`, {
      json: { model: values.model, ...(values.description ? { description: values.description } : {}), variants: [{ name: "primary", ...target, weight: 100 }] },
    });
    if (!r.ok) throw failure(r.status, r.data);
    if (values.json) console.log(JSON.stringify(r.data, null, 2));
    else console.log(`endpoint ${name} created: ${(r.data.variants as Variant[]).map(describeVariant).join(", ")}\ncall it: POST <inference URL>/v2/models/${name}/infer`);
    return 0;
  }
  if (sub === "delete" && name && !rest.length) {
    const r = await api.request("DELETE", `/api/endpoints/${encodeURIComponent(name)}`);
    if (!r.ok) throw failure(r.status, r.data);
    if (values.json) console.log(JSON.stringify(r.data, null, 2));
    else console.log(`endpoint ${name} deleted (model ${(r.data.deleted as { model: string }).model} and its versions stay)`);
    return 0;
  }
  if (sub === "wait" && name && !rest.length) {
    const timeoutS = Number(values.timeout ?? 120);
    if (!(timeoutS > 0)) throw new CliError(`${USAGE}\n(--timeout takes seconds, more than 0)`, 2);
    const until = Date.now() + timeoutS * 1000;
    let last = "";
    for (;;) {
      const r = await api.request("GET", `/api/endpoints/${encodeURIComponent(name)}`);
      if (!r.ok) throw failure(r.status, r.data);
      const progress = switchProgress(r.data as Parameters<typeof switchProgress>[0]);
      if (progress.state === "switched") {
        console.log(`endpoint ${name}: generation ${String(r.data.generation)} served by ${progress.instances} data plane${progress.instances === 1 ? "" : "s"}`);
        return 0;
      }
      if (progress.state === "failed") throw new CliError(`endpoint ${name}: ${progress.why}`, 1);
      if (Date.now() >= until) throw new CliError(`endpoint ${name}: timed out after ${timeoutS} s: ${progress.why}`, 1);
      if (progress.why !== last) console.error(`waiting: ${progress.why}`);
      last = progress.why;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new CliError(USAGE, 2);
});
