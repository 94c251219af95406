/**
 * The work both constant-answer baselines do (bare-http-server.ts on node:http, http1-constant-server.ts on the data
 * plane's own HTTP/1 server), in one place so that they compare servers and nothing else: parse the request's JSON —
 * only the JSON header of a binary-extension request, as any server must — and answer one fixed reply.
 */
export const CONSTANT_REPLY = JSON.stringify({ model_name: "mlp", model_version: "1", outputs: [{ name: "probs", datatype: "FP32", shape: [1, 4], data: [0.25, 0.25, 0.25, 0.25] }] });

/** Parses the request's JSON (throws on a malformed one). */
export function parseRequestJson(body: Buffer, inferenceHeaderLength: string | undefined): unknown {
  return JSON.parse(body.toString("utf8", 0, inferenceHeaderLength === undefined ? body.length : Number(inferenceHeaderLength)));
}
