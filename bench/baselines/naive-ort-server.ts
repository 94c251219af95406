/**
 * The naive baseline: the server a user would write in an afternoon — node:http + onnxruntime-node, one `run` per
 * request on the main thread, JSON in and out. Not part of Ferry.
 */
import http from "node:http";
import * as ort from "onnxruntime-node";

async function main() {
  const session = await ort.InferenceSession.create(process.argv[2]);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        const input = body.inputs[0];
        const tensor = new ort.Tensor("float32", Float32Array.from(input.data.flat(Infinity)), input.shape);
        const out = await session.run({ [input.name]: tensor });
        const outputs = Object.entries(out).map(([name, t]) => ({ name, datatype: "FP32", shape: t.dims, data: Array.from(t.data as Float32Array) }));
        const reply = JSON.stringify({ model_name: "mlp", model_version: "1", outputs });
        res.writeHead(200, { "content-type": "application/json" }).end(reply);
      } catch (e) {
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: String(e) }));
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => {
    const a = server.address() as { port: number };
    process.send?.({ port: a.port });
  });
}

main();
