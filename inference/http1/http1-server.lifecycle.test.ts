/** Http1Server lifecycle and timeouts. Shared harness: http1-test-kit.ts. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { Http1Server } from "./http1-server";
import { start, Raw, GET, stopStarted, writeUntilHeld } from "./http1-test-kit";

afterEach(stopStarted);

describe("Http1Server lifecycle", () => {
  it("closes connections after their answer while draining", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write(GET("/a"));
    expect((await c.answer(1))[0].headers.connection).toBeUndefined();
    h.server.draining = true;
    await c.write(GET("/b") + GET("/never"));
    await c.whenClosed();
    expect(c.answers.map((a) => a.headers.connection)).toEqual([undefined, "close"]);
    const res = await fetch(`${h.url}/c`);
    expect(res.headers.get("connection")).toBe("close");
  });

  it("closeIdleConnections closes only connections between requests", async () => {
    const h = await start();
    const idle = await Raw.connect(h.port);
    await idle.write(GET("/a"));
    await idle.answer(1);
    const busy = await Raw.connect(h.port);
    await writeUntilHeld(h, busy);
    const partial = await Raw.connect(h.port);
    await partial.write("GET /p HTTP/1.1\r\n");
    await vi.waitFor(() => expect([...h.server.connections].filter((c) => c.phase === "head" && c.requestStartedAt > 0)).toHaveLength(1), { interval: 5 });
    h.server.closeIdleConnections();
    await idle.whenClosed();
    expect(busy.closed).toBe(false);
    h.held[0].reply.send(200, {}, "done");
    expect((await busy.answer(1))[0].body.toString()).toBe("done");
    await partial.write("Host: t\r\n\r\n");
    expect((await partial.answer(1))[0].status).toBe(200);
    expect(h.gone).toEqual([]);
  });

  it("closeAllConnections closes everything and abandons what is in flight", async () => {
    const h = await start();
    const busy = await Raw.connect(h.port);
    await writeUntilHeld(h, busy);
    const idle = await Raw.connect(h.port);
    await vi.waitFor(() => expect(h.server.connections.size).toBe(2), { interval: 5 });
    h.server.closeAllConnections();
    await busy.whenClosed();
    await idle.whenClosed();
    expect(busy.answers).toHaveLength(0);
    expect(h.gone).toEqual(["/hold"]);
    expect(h.server.inFlight).toBe(0);
    expect(h.server.connections.size).toBe(0);
  });

  it("stopListening refuses new connections and keeps serving open ones", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write(GET("/a"));
    await c.answer(1);
    h.server.stopListening();
    await expect(Raw.connect(h.port)).rejects.toThrow(/ECONNREFUSED/);
    await c.write(GET("/b"));
    expect((await c.answer(2))[1].status).toBe(200);
  });

  it("rejects listen on a port in use", async () => {
    const h = await start();
    const other = new Http1Server(() => {}, { maxBodyBytes: 10 });
    await expect(other.listen(h.port, "127.0.0.1")).rejects.toThrow(/EADDRINUSE/);
  });
});

describe("Http1Server timeouts", () => {
  const timeouts = { headersTimeoutMs: 300, keepAliveTimeoutMs: 300, requestTimeoutMs: 600 };

  it("answers 408 to a head that takes too long, and closes", async () => {
    const h = await start(timeouts);
    const c = await Raw.connect(h.port);
    const t0 = Date.now();
    await c.write("GET / HTTP/1.1\r\nHost: t\r\n");
    const [a] = await c.answer(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(a.status).toBe(408);
    expect(a.headers.connection).toBe("close");
    await c.whenClosed();
    expect(h.server.inFlight).toBe(0);
  });

  it("answers 408 to a body that takes too long", async () => {
    const h = await start(timeouts);
    const c = await Raw.connect(h.port);
    const t0 = Date.now();
    await c.write(["POST / HTTP/1.1", "Host: t", "Content-Length: 10", "", "12345"].join("\r\n"));
    const [a] = await c.answer(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(590);
    expect(a.status).toBe(408);
    await c.whenClosed();
  });

  it("closes a kept-alive connection that stays idle, and not one whose request is being handled", async () => {
    const h = await start(timeouts);
    const idle = await Raw.connect(h.port);
    await idle.write(GET("/a"));
    await idle.answer(1);
    const t0 = Date.now();
    const busy = await Raw.connect(h.port);
    await writeUntilHeld(h, busy);
    await idle.whenClosed();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(idle.answers).toHaveLength(1);
    // The handler may take longer than any of the timeouts.
    await new Promise((r) => setTimeout(r, 700));
    expect(busy.closed).toBe(false);
    h.held[0].reply.send(200, {}, "late but fine");
    expect((await busy.answer(1))[0].body.toString()).toBe("late but fine");
  });

  it("does not count a slow reader's unwritten answer as idleness", async () => {
    const h = await start(timeouts);
    const c = await Raw.connect(h.port);
    c.socket.pause();
    const size = 32 * 1024 * 1024;
    await c.write(GET(`/big?size=${size}`));
    await vi.waitFor(() => expect([...h.server.connections][0]?.socket.writableLength).toBeGreaterThan(0), { interval: 5 });
    // Well past the keep-alive timeout, with most of the answer still unwritten.
    await new Promise((r) => setTimeout(r, 800));
    expect(c.closed).toBe(false);
    c.socket.resume();
    const [a] = await c.answer(1);
    expect(a.body.length).toBe(size);
    await c.whenClosed();
  });

  it("closes a connection that never sends anything", async () => {
    const h = await start(timeouts);
    const c = await Raw.connect(h.port);
    await c.whenClosed();
    expect(c.answers).toHaveLength(0);
  });
});
