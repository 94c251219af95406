/**
 * `ferry predictions NAME [--version N] [--outcome ok|error] [--request-id ID] [--limit N] [--out FILE]` — downloads an endpoint's
 * sampled prediction log (GET /api/endpoints/NAME/predictions?format=jsonl) as JSON Lines, newest first: to stdout,
 * or to FILE. For retraining sets, debugging, or joining with ground truth elsewhere.
 */
import fs from "node:fs";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { apiClient, CliError, cliCommand } from "@/lib/registry/ferry-api-client";

const USAGE = "usage: ferry predictions NAME [--version N] [--outcome ok|error] [--request-id ID] [--limit N (≤ 10000, default 1000)] [--out FILE]";

export const run = cliCommand("predictions", USAGE, {
  version: { type: "string" },
  outcome: { type: "string" },
  "request-id": { type: "string" },
  limit: { type: "string" },
  out: { type: "string", short: "o" },
}, async ({ values, positionals }) => {
  const [name] = positionals;
  if (!name || positionals.length !== 1) throw new CliError(USAGE, 2);
  const query = new URLSearchParams({ format: "jsonl", limit: values.limit ?? "1000" });
  if (values.version) query.set("version", values.version.replace(/^v/i, ""));
  if (values.outcome) query.set("outcome", values.outcome);
  if (values["request-id"]) query.set("requestId", values["request-id"]);
  const res = await apiClient().download(`/api/endpoints/${encodeURIComponent(name)}/predictions?${query}`);
  const body = Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>);
  let lines = 0;
  body.on("data", (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 10) lines++;
  });
  if (values.out) {
    await pipeline(body, fs.createWriteStream(values.out));
    console.error(`${lines} predictions of ${name} written to ${values.out}`);
  } else {
    // stdout is not closed when the download ends: the command may still print after it.
    await pipeline(body, new Writable({ write: (chunk, _enc, done) => (process.stdout.write(chunk) ? done() : process.stdout.once("drain", done)) }));
  }
  return 0;
});
