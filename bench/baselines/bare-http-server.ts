/**
 * The HTTP limit of Node on this machine: read each request body, parse its JSON (for a binary-extension request,
 * only the JSON header, as any server must), answer a constant reply. Kept as a baseline for `npm run bench`;
 * not part of Ferry.
 */
import http from "node:http";
import { CONSTANT_REPLY, parseRequestJson } from "./constant-answer";

const reply = Buffer.from(CONSTANT_REPLY);

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    try {
      // node:http joins a repeated custom header into one string; only set-cookie comes as an array.
      parseRequestJson(Buffer.concat(chunks), req.headers["inference-header-content-length"] as string | undefined);
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
