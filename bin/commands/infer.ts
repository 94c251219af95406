/**
 * `ferry infer NAME [--data JSON | --file FILE] [--header x-name=value]… [--json]` — one inference request through the
 * control plane's Try-it route (`POST /api/endpoints/NAME/try`: an operator token with the `infer` scope; the control
 * plane reaches the data plane), for a pipeline's smoke test after a deploy or a person at a terminal. Without --data or
 * --file it sends the served version's example request (every input at its concrete shape, filled with zeros).
 * Prints the status, the version that served, the latency and the outputs (a one-row classifier's also as its top
 * classes, named by the version's class labels); exits 0 only on a 200.
 */
import fs from "node:fs";
import type { TensorSpec } from "@/lib/tensor/datatypes";
import { exampleInferRequest } from "@/lib/oip/example-request";
import { classBars } from "@/lib/oip/class-bars";
import { apiClient, CliError, cliCommand, failure } from "@/lib/registry/ferry-api-client";

const USAGE = `usage: ferry infer NAME [--data JSON | --file REQUEST.json] [--header x-name=value]... [--json]
       (without --data or --file: the served version's example request, zeros at every input's shape)`;

type Output = { name: string; datatype: string; shape: number[]; data?: unknown[] };

/** One line per output: name, datatype, shape and its first values; a one-row classifier's top classes under it. */
function describeOutputs(outputs: readonly Output[], labels: Record<string, string[]> = {}, shown = 8): string[] {
  return outputs.flatMap((o) => {
    const data = Array.isArray(o.data) ? o.data : [];
    const values = data.slice(0, shown).map((v) => (typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v));
    const more = data.length > shown ? `, … (${data.length} values)` : "";
    const line = `  ${o.name} ${o.datatype} [${o.shape.join(", ")}]: ${data.length ? `[${values.map((v) => JSON.stringify(v)).join(", ")}${more}]` : "(binary or empty)"}`;
    const top = classBars({ ...o, data }, 3, labels[o.name]);
    return top ? [line, `    top classes: ${top.map((b) => `${b.label ?? `class ${b.index}`} ${Number(b.value.toPrecision(4))}`).join(" · ")}`] : [line];
  });
}

export const run = cliCommand("infer", USAGE, {
  data: { type: "string", short: "d" },
  file: { type: "string", short: "f" },
  header: { type: "string", short: "H", multiple: true },
  json: { type: "boolean", default: false },
}, async ({ values, positionals }) => {
  const [name] = positionals;
  if (!name || positionals.length !== 1 || (values.data !== undefined && values.file !== undefined)) throw new CliError(USAGE, 2);
  const headers: Record<string, string> = {};
  for (const h of values.header ?? []) {
    const eq = h.indexOf("=");
    if (eq < 1) throw new CliError(`${USAGE}\n('${h}' is not name=value)`, 2);
    headers[h.slice(0, eq).trim().toLowerCase()] = h.slice(eq + 1);
  }
  const api = apiClient();
  const path = `/api/endpoints/${encodeURIComponent(name)}`;
  let request: unknown;
  if (values.data !== undefined || values.file !== undefined) {
    const text = values.data ?? readRequestFile(values.file!);
    try {
      request = JSON.parse(text);
    } catch {
      throw new CliError(`the request is not valid JSON (${values.data !== undefined ? "--data" : values.file})`, 2);
    }
  } else {
    const endpoint = await api.request("GET", path);
    if (!endpoint.ok) throw failure(endpoint.status, endpoint.data);
    const signature = endpoint.data.signature as { inputs: TensorSpec[] } | null;
    if (!signature) throw new CliError(`endpoint '${name}' has no version serving yet to build an example from: pass --data or --file`, 1);
    request = exampleInferRequest(signature.inputs);
  }
  const r = await api.request("POST", `${path}/try`, { json: { request, headers } });
  if (!r.ok) throw failure(r.status, r.data);
  const { status, body, servedVersion, latencyMs, labels } = r.data as {
    status: number;
    body: { outputs?: Output[]; error?: string };
    servedVersion: string | null;
    latencyMs: number;
    labels?: Record<string, string[]>;
  };
  if (values.json) console.log(JSON.stringify(r.data, null, 2));
  else if (status === 200) console.log([`${name}: 200 from version ${servedVersion} in ${latencyMs.toFixed(1)} ms`, ...describeOutputs(body.outputs ?? [], labels)].join("\n"));
  else console.error(`ferry infer: ${name} answered ${status}: ${body?.error ?? "(no message)"}`);
  return status === 200 ? 0 : 1;
});

function readRequestFile(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
  }
}
