/**
 * The HTTP limit of Node on this machine: parse each JSON request body, answer a constant reply.
 * Kept as a baseline for `npm run bench`; not part of Ferry.
 */
import http from "node:http";

const reply = Buffer.from(JSON.stringify({ model_name: "mlp", model_version: "1", outputs: [{ name: "probs", datatype: "FP32", shape: [1, 4], data: [0.25, 0.25, 0.25, 0.25] }] }));

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json", "content-length": reply.length }).end(reply);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const a = server.address() as { port: number };
  process.send?.({ port: a.port });
});
