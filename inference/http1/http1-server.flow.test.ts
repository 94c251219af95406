/** Http1Server backpressure and admission (before the body is read). Shared harness: http1-test-kit.ts. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { once } from "node:events";
import type { Http1Handler, Http1ServerOptions } from "./http1-server";
import { start, Raw, json, GET, post, stopStarted } from "./http1-test-kit";

afterEach(stopStarted);

describe("Http1Server backpressure", () => {
  it("stops answering and reading while a pipelining client does not read its answers, then answers all", async () => {
    const h = await start();
    const n = 400;
    const size = 64 * 1024;
    const c = await Raw.connect(h.port);
    c.socket.pause();
    await c.write(Array.from({ length: n }, (_, i) => GET(`/big?size=${size}&i=${i}`)).join(""));
    await vi.waitFor(() => expect(h.server.connections.size).toBe(1), { interval: 5 });
    const serverSide = [...h.server.connections][0].socket;
    await vi.waitFor(() => expect(serverSide.writableNeedDrain).toBe(true), { timeout: 5_000, interval: 10 });
    // What the kernel does not take waits in user space: about one answer over the high-water mark, not all of them.
    expect(serverSide.writableLength).toBeLessThan(4 * size);
    expect(serverSide.isPaused()).toBe(true);
    c.socket.resume();
    const answers = await c.answer(n);
    expect(answers.map((a) => a.headers["x-url"])).toEqual(Array.from({ length: n }, (_, i) => `/big?size=${size}&i=${i}`));
    expect(answers.every((a) => a.body.length === size)).toBe(true);
    await c.write(GET("/after"));
    expect((await c.answer(n + 1))[n].status).toBe(200);
  });

  it("stops reading pipelined requests while one is being handled, then answers them all", async () => {
    const h = await start({ maxHeaderBytes: 2048, maxBodyBytes: 4096 });
    const n = 3000;
    const pad = `X-Pad: ${"p".repeat(600)}`;
    const c = await Raw.connect(h.port);
    const held = once(h.events, "held");
    const batch = GET("/hold") + Array.from({ length: n }, (_, i) => GET(`/r${i}`, pad)).join("");
    void c.write(batch);
    await held;
    const serverSide = [...h.server.connections][0].socket;
    await vi.waitFor(() => expect(serverSide.isPaused()).toBe(true), { timeout: 5_000, interval: 10 });
    const read = serverSide.bytesRead;
    expect(read).toBeLessThan(batch.length / 4);
    h.held[0].reply.send(200, {}, "first");
    const answers = await c.answer(n + 1);
    expect(answers[0].body.toString()).toBe("first");
    expect(answers.slice(1).map((a) => a.headers["x-url"])).toEqual(Array.from({ length: n }, (_, i) => `/r${i}`));
  });
});

describe("Http1Server admission (before the body is read)", () => {
  /** Admits requests with `authorization: ok` (sync or, for `/async…`, after a tick); refuses the rest with 401. */
  const admit: Http1ServerOptions["admit"] = (head, reply) => {
    const decide = () => {
      if (head.headers.authorization === "ok") return { who: "tester", url: head.url };
      reply.send(401, { "content-type": "application/json" }, JSON.stringify({ error: "no" }));
      return undefined;
    };
    if (head.url.startsWith("/async-throw")) return Promise.reject(new Error("admission broke"));
    if (head.url.startsWith("/sync-throw")) throw new Error("admission broke at once");
    if (head.url.startsWith("/async")) return new Promise((resolve) => setTimeout(() => resolve(decide()), 5));
    return decide();
  };

  it("refuses before reading the body: no 100 Continue, the answer arrives, the connection closes, the handler never runs", async () => {
    for (const target of ["/sync", "/async"]) {
      const h = await start({ admit });
      const c = await Raw.connect(h.port);
      // Announces a 60 KB body and waits for 100 Continue (which must not come) before sending it.
      await c.write([`POST ${target} HTTP/1.1`, "Host: test", "Content-Length: 60000", "Expect: 100-continue", "", ""].join("\r\n"));
      const [a] = await c.answer();
      expect(a.status).toBe(401);
      expect(a.headers.connection).toBe("close");
      expect(c.interim).toEqual([]);
      await c.whenClosed();
      expect(h.server.inFlight).toBe(0);
    }
  });

  it("answers a client that keeps sending its refused body, rather than resetting it", async () => {
    const h = await start({ admit });
    const c = await Raw.connect(h.port);
    const body = Buffer.alloc(60_000, 120);
    await c.write(Buffer.concat([Buffer.from(["POST /async HTTP/1.1", "Host: test", `Content-Length: ${body.length}`, "", ""].join("\r\n")), body]));
    const [a] = await c.answer();
    expect(a.status).toBe(401);
    await c.whenClosed();
  });

  it("hands what it returned to the handler, sync or async, and keeps the connection for the next request", async () => {
    const seen: unknown[] = [];
    const h = await start({ admit });
    const handler = h.server.handler;
    (h.server as unknown as { handler: Http1Handler }).handler = (req, reply) => {
      seen.push(req.admission);
      handler(req, reply);
    };
    const c = await Raw.connect(h.port);
    await c.write(Buffer.concat([post("/sync", "a", "Authorization: ok"), post("/async", "bb", "Authorization: ok", "Expect: 100-continue")]));
    const answers = await c.answer(2);
    expect(answers.map((a) => [a.status, json(a).length])).toEqual([
      [200, 1],
      [200, 2],
    ]);
    expect(seen).toEqual([
      { who: "tester", url: "/sync" },
      { who: "tester", url: "/async" },
    ]);
    expect(c.closed).toBe(false);
  });

  it("answers 500 when admission fails, and counts a client that leaves during admission as gone", async () => {
    const h = await start({ admit });
    const c = await Raw.connect(h.port);
    await c.write(post("/async-throw", "x", "Authorization: ok"));
    const [a] = await c.answer();
    expect(a.status).toBe(500);
    expect(h.handlerErrors.map((e) => (e as Error).message)).toEqual(["admission broke"]);
    const s = await Raw.connect(h.port);
    await s.write(post("/sync-throw", "x", "Authorization: ok"));
    expect((await s.answer())[0].status).toBe(500);
    expect(h.handlerErrors.map((e) => (e as Error).message)).toEqual(["admission broke", "admission broke at once"]);

    const d = await Raw.connect(h.port);
    await d.write([`POST /async HTTP/1.1`, "Host: test", "Authorization: ok", "Content-Length: 10", "", ""].join("\r\n"));
    d.destroy();
    await vi.waitFor(() => expect(h.server.inFlight).toBe(0));
  });
});
