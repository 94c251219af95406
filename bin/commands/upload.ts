/**
 * `ferry upload FILE.onnx --model NAME [--reference data.csv] [--labels labels.txt] [--metric auc=0.93]… [--alias staging]
 *  [--description TEXT] [--source ci] [--source-url URL] [--force] [--json]` — streams the file (never read whole into memory) as
 * multipart to POST /api/models/NAME/versions, prints version, sha256 and signature, and optionally moves an alias.
 */
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { apiClient, CliError, cliCommand, failure, formatSignature } from "@/lib/registry/ferry-api-client";
import { multipartStream, newBoundary, type MultipartField } from "@/lib/http/multipart-body";

const USAGE = "usage: ferry upload FILE.onnx --model NAME [--reference data.csv] [--labels labels.txt] [--metric NAME=VALUE]… [--alias ALIAS] [--description TEXT] [--source-url URL] [--json]";

function fileField(name: string, file: string): MultipartField {
  return { name, filename: path.basename(file), data: Readable.from(fs.createReadStream(file)) as AsyncIterable<Uint8Array> };
}

export const run = cliCommand("upload", USAGE, {
  model: { type: "string", short: "m" },
  reference: { type: "string", short: "r" },
  labels: { type: "string", short: "l" },
  metric: { type: "string", multiple: true },
  alias: { type: "string", short: "a" },
  description: { type: "string", short: "d" },
  source: { type: "string", default: process.env.CI ? "ci" : "cli" },
  "source-url": { type: "string" },
  force: { type: "boolean", default: false },
  json: { type: "boolean", default: false },
}, async ({ values, positionals }) => {
  const file = positionals[0];
  if (!file || !values.model || positionals.length > 1) throw new CliError(USAGE, 2);
  for (const f of [file, values.reference, values.labels].filter(Boolean) as string[]) {
    if (!fs.existsSync(f) || !fs.statSync(f).isFile()) throw new CliError(`no such file: ${f}`, 2);
  }
  const fields: MultipartField[] = [{ name: "source", value: values.source! }];
  if (values.description) fields.push({ name: "description", value: values.description });
  if (values["source-url"]) fields.push({ name: "sourceUrl", value: values["source-url"] });
  if (values.reference) fields.push(fileField("reference", values.reference));
  if (values.labels) fields.push(fileField("labels", values.labels));
  // The training run's figures, one name=value a flag; the server checks them (a 400 before the file is stored).
  if (values.metric?.length) fields.push({ name: "metrics", value: values.metric.join("\n") });
  fields.push(fileField("file", file));

  const api = apiClient();
  const boundary = newBoundary();
  const model = encodeURIComponent(values.model);
  const size = fs.statSync(file).size;
  if (!values.json) console.error(`uploading ${path.basename(file)} (${size} bytes) to ${api.base} as model '${values.model}'…`);
  const up = await api.request("POST", `/api/models/${model}/versions`, {
    body: multipartStream(boundary, fields),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  });
  if (up.status === 422) {
    if (values.json) console.log(JSON.stringify(up.data, null, 2));
    throw new CliError(`version ${up.data.version} of '${values.model}' failed validation: ${up.data.error}`, 1);
  }
  if (!up.ok) throw failure(up.status, up.data);
  const d = up.data;
  if (values.json) console.log(JSON.stringify(d, null, 2));
  else {
    console.log(`${d.model} v${d.version}: ${d.status}`);
    console.log(`  sha256 ${d.sha256}`);
    console.log(`  size   ${d.sizeBytes} bytes`);
    console.log(formatSignature(d.signature));
    const metrics = Object.entries((d.metrics ?? {}) as Record<string, number>);
    if (metrics.length) console.log(`  metrics ${metrics.map(([k, x]) => `${k}=${x}`).join(" · ")}`);
  }
  if (values.alias) {
    const p = await api.request("PUT", `/api/models/${model}/aliases/${encodeURIComponent(values.alias)}`, { json: { version: d.version, force: values.force || undefined } });
    if (!p.ok) throw failure(p.status, p.data);
    if (!values.json) console.log(p.status === 202 ? `promotion to '${values.alias}' awaits approval (request ${p.data.requestId})` : `'${values.alias}' → v${d.version}`);
  }
  return 0;
});
