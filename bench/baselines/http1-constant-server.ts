/**
 * The HTTP limit of the data plane's own HTTP/1.1 server (inference/http1): the same work as bare-http-server.ts — read
 * each request body, parse its JSON (only the JSON header of a binary-extension request), answer a constant reply — on
 * the server Ferry serves inference with instead of node:http. What Ferry could reach with nothing of its own to do:
 * authentication, validation, batching and recording all come on top. A baseline for `npm run bench`; not part of
 * Ferry.
 */
import { Http1Server } from "@/inference/http1/http1-server";
import { CONSTANT_REPLY, parseRequestJson } from "./constant-answer";

const server = new Http1Server(
  (req, res) => {
    try {
      parseRequestJson(req.body, req.headers["inference-header-content-length"]);
    } catch {
      res.send(400, {});
      return;
    }
    res.send(200, { "content-type": "application/json" }, CONSTANT_REPLY);
  },
  { maxBodyBytes: 64 * 1024 * 1024, keepAliveTimeoutMs: 60_000 },
);
server.listen(0, "127.0.0.1").then((a) => process.send?.({ port: a.port }));
