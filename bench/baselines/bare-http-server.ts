/**
 * The HTTP limit of Node on this machine: read each request body, parse its JSON (for a binary-extension request,
 * only the JSON header, as any server must), answer a constant reply. Kept as a baseline for `npm run bench`;
 * not part of Ferry.
 */
import http from "node:http";

const reply = Buffer.from(JSON.stringify({ model_name: "mlp", model_version: "1", outputs: [{ name: "probs", datatype: "FP32", shape: [1, 4], data: [0.25, 0.25, 0.25, 0.25] }] }));

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    try {
      const body = Buffer.concat(chunks);
      const headerLength = req.headers["inference-header-content-length"];
      JSON.parse(body.toString("utf8", 0, headerLength === undefined ? body.length : Number(headerLength)));
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
