/** Http1Server handler contract: what a handler sees and may do. Shared harness: http1-test-kit.ts. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { Http1Server } from "./http1-server";
import { start, Raw, json, GET, stopStarted, writeUntilHeld } from "./http1-test-kit";

afterEach(stopStarted);

describe("Http1Server handler contract", () => {
  it("tells the handler when the client leaves, once, and ignores a late send", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await writeUntilHeld(h, c);
    expect(h.server.inFlight).toBe(1);
    const { reply } = h.held[0];
    const unsubscribed = vi.fn();
    reply.onGone(unsubscribed)();
    const hook = vi.fn();
    reply.onGone(hook);
    c.destroy();
    await vi.waitFor(() => expect(hook).toHaveBeenCalledTimes(1), { timeout: 2_000, interval: 5 });
    expect(h.gone).toEqual(["/hold"]);
    expect(unsubscribed).not.toHaveBeenCalled();
    expect(reply.gone).toBe(true);
    expect(reply.sent).toBe(false);
    expect(h.server.inFlight).toBe(0);
    expect(() => reply.send(200, {}, "late")).not.toThrow();
    expect(reply.sent).toBe(false);
    expect(h.server.inFlight).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(hook).toHaveBeenCalledTimes(1);
    expect(h.server.connections.size).toBe(0);
  });

  it("does not call onGone after the answer, and a second send is ignored", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await writeUntilHeld(h, c);
    const { reply } = h.held[0];
    const hook = vi.fn();
    reply.onGone(hook);
    reply.send(201, { "x-a": "1" }, "first");
    reply.send(202, { "x-a": "2" }, "second");
    expect(reply.sent).toBe(true);
    expect(h.server.inFlight).toBe(0);
    const [a] = await c.answer(1);
    expect([a.status, a.body.toString()]).toEqual([201, "first"]);
    c.destroy();
    await c.whenClosed();
    await vi.waitFor(() => expect(h.server.connections.size).toBe(0), { interval: 5 });
    expect(hook).not.toHaveBeenCalled();
    expect(reply.gone).toBe(false);
  });

  it("does not let a reply that was already used answer the next request on the connection", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await writeUntilHeld(h, c, GET("/stale") + GET("/hold"));
    const stale = h.stale[0];
    expect(stale.sent).toBe(true);
    stale.send(500, {}, "stale answer");
    const hook = vi.fn();
    stale.onGone(hook);
    h.held[0].reply.send(200, {}, "the real answer");
    const answers = await c.answer(2);
    expect(answers.map((a) => a.body.toString())).toEqual([expect.stringContaining('"/stale"'), "the real answer"]);
    c.destroy();
    await c.whenClosed();
    expect(hook).not.toHaveBeenCalled();
  });

  it("answers 500 when the handler throws, reports it, and keeps serving the connection", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write(GET("/throw") + GET("/after"));
    const answers = await c.answer(2);
    expect(answers[0].status).toBe(500);
    expect(json(answers[0])).toEqual({ error: "internal error" });
    expect(answers[1].status).toBe(200);
    expect(h.handlerErrors).toHaveLength(1);
    expect((h.handlerErrors[0] as Error).message).toBe("boom");
    expect(h.server.inFlight).toBe(0);
  });

  it.each([
    ["CR LF", "a\r\nx-injected: 1"],
    ["a bare LF", "a\nb"],
    ["a bare CR", "a\rb"],
    ["U+010A (written as LF in latin1)", "a\u010d\u010ax-injected: 1"],
    ["NUL", "a\x00b"],
  ])("answers 500 instead of writing a header value with %s, and stays up", async (_what, value) => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write(GET(`/header?value=${encodeURIComponent(value)}`) + GET(`/header-sync?value=${encodeURIComponent(value)}`) + GET("/after"));
    const answers = await c.answer(3);
    expect(answers.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(c.text()).not.toContain("x-injected");
    expect(c.text()).not.toContain("not this");
    expect(h.handlerErrors).toHaveLength(2);
    expect(h.server.inFlight).toBe(0);
  });

  it("answers 500 instead of writing a bad header name or status", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write(
      GET(`/header?name=${encodeURIComponent("x-a\r\nx-injected")}&value=1`) +
        GET(`/header?name=${encodeURIComponent("x a")}&value=1`) +
        GET("/status?code=101") +
        GET("/status?code=20") +
        GET("/status?code=abc") +
        GET("/status?code=299") +
        GET("/header?name=x-fine&value=caf%C3%A9"),
    );
    const answers = await c.answer(7);
    expect(answers.map((a) => a.status)).toEqual([500, 500, 500, 500, 500, 299, 200]);
    expect(c.text()).not.toContain("x-injected");
    expect(answers[6].headers["x-fine"]).toBe("caf\xe9");
    expect(h.handlerErrors).toHaveLength(5);
  });

  it("accepts latin1 header values (obs-text) from the handler, and refuses other characters", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write(GET(`/header?name=x-snow&value=${encodeURIComponent("\u2603")}`));
    expect((await c.answer(1))[0].status).toBe(500);
    const server = new Http1Server((_req, reply) => reply.send(200, { "x-fine": "caf\xe9 \t!" }, ""), { maxBodyBytes: 10 });
    const address = await server.listen(0, "127.0.0.1");
    try {
      const d = await Raw.connect(address.port);
      await d.write(GET("/"));
      const [a] = await d.answer(1);
      expect(a.status).toBe(200);
      expect(a.headers["x-fine"]).toBe("caf\xe9 \t!");
    } finally {
      server.stopListening();
      server.closeAllConnections();
    }
  });
});
