import { afterEach, describe, expect, it, vi } from "vitest";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { EventEmitter, once } from "node:events";
import { existsSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Http1Server, type Http1Handler, type Http1Reply, type Http1Request, type Http1ServerOptions } from "./http1-server";

// ---------------------------------------------------------------------------------------------------------------
// A server with an echo handler, started per test on 127.0.0.1:0

interface Held {
  req: Http1Request;
  reply: Http1Reply;
}

interface Harness {
  server: Http1Server;
  port: number;
  url: string;
  held: Held[];
  /** Emits "held" when a /hold request reaches the handler. */
  events: EventEmitter;
  gone: string[];
  handlerErrors: unknown[];
  stale: Http1Reply[];
}

const started: Harness[] = [];

afterEach(() => {
  for (const h of started.splice(0)) {
    h.server.stopListening();
    h.server.closeAllConnections();
  }
});

function sha(b: Buffer): string {
  return createHash("sha256").update(b).digest("hex");
}

function echoHandler(h: Omit<Harness, "server" | "port" | "url">): Http1Handler {
  return (req, reply) => {
    const u = new URL(req.url, "http://x");
    const q = (name: string) => u.searchParams.get(name) ?? "";
    const answer = () =>
      reply.send(
        200,
        { "content-type": "application/json", "x-url": req.url },
        JSON.stringify({ method: req.method, url: req.url, httpVersion: req.httpVersion, headers: req.headers, length: req.body.length, sha: sha(req.body) }),
      );
    switch (u.pathname) {
      case "/throw":
        throw new Error("boom");
      case "/hold":
        h.held.push({ req, reply });
        reply.onGone(() => h.gone.push(req.url));
        h.events.emit("held");
        return;
      case "/delay":
        setTimeout(answer, Number(q("ms")));
        return;
      case "/big":
        reply.send(200, { "x-url": req.url }, Buffer.alloc(Number(q("size")), 97));
        return;
      case "/header":
        // A header value (or name) chosen by the test, sent later, as handlers mostly do.
        setImmediate(() => reply.send(200, { [q("name") || "x-value"]: q("value") }, "not this"));
        return;
      case "/header-sync":
        reply.send(200, { "x-value": q("value") }, "not this");
        return;
      case "/status":
        setImmediate(() => reply.send(Number(q("code")), {}, "not this"));
        return;
      case "/close":
        reply.send(200, { Connection: "Close" }, "bye");
        return;
      case "/upper":
        reply.send(200, { "Content-Length": 999, "Transfer-Encoding": "chunked", Date: "yesterday", "X-Kept": "yes" }, "abc");
        return;
      case "/stale":
        h.stale.push(reply);
        answer();
        return;
      default:
        answer();
    }
  };
}

async function start(options: Partial<Http1ServerOptions> = {}): Promise<Harness> {
  const parts = { held: [] as Held[], events: new EventEmitter(), gone: [] as string[], handlerErrors: [] as unknown[], stale: [] as Http1Reply[] };
  const server = new Http1Server(echoHandler(parts), {
    maxBodyBytes: 64 * 1024,
    maxHeaderBytes: 4 * 1024,
    onHandlerError: (e) => parts.handlerErrors.push(e),
    ...options,
  });
  const address = await server.listen(0, "127.0.0.1");
  const h: Harness = { ...parts, server, port: address.port, url: `http://127.0.0.1:${address.port}` };
  started.push(h);
  return h;
}

// ---------------------------------------------------------------------------------------------------------------
// A raw client that parses the answers as they arrive

interface Answer {
  status: number;
  head: string;
  /** Lower-case names, in order, repeats kept. */
  fields: [string, string][];
  headers: Record<string, string>;
  body: Buffer;
}

class Raw {
  readonly chunks: Buffer[] = [];
  readonly answers: Answer[] = [];
  readonly interim: Answer[] = [];
  closed = false;
  ended = false;
  error: Error | undefined;
  /** Indexes of answers to HEAD requests (they have no body whatever their content-length says). */
  readonly bodiless = new Set<number>();
  private pending = Buffer.alloc(0);
  /** Bytes received after `pending`, joined to it only once `need` bytes are there (large answers arrive in many chunks). */
  private later: Buffer[] = [];
  private laterBytes = 0;
  private need = 0;
  private readonly waiters = new Set<() => void>();

  constructor(readonly socket: net.Socket) {
    socket.on("data", (d: Buffer) => {
      this.chunks.push(d);
      this.later.push(d);
      this.laterBytes += d.length;
      if (this.pending.length + this.laterBytes < this.need) return;
      this.pending = Buffer.concat([this.pending, ...this.later]);
      this.later = [];
      this.laterBytes = 0;
      this.parse();
      this.notify();
    });
    socket.on("end", () => {
      this.ended = true;
      this.notify();
    });
    socket.on("close", () => {
      this.closed = true;
      this.notify();
    });
    socket.on("error", (e) => (this.error = e));
  }

  static connect(port: number, allowHalfOpen = false): Promise<Raw> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: "127.0.0.1", allowHalfOpen }, () => {
        socket.off("error", reject);
        resolve(new Raw(socket));
      });
      socket.setNoDelay(true);
      socket.once("error", reject);
    });
  }

  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(typeof data === "string" ? Buffer.from(data, "latin1") : data, (e) => (e ? reject(e) : resolve())));
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("latin1");
  }

  until<T>(check: () => T | undefined | false, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const test = () => {
        const v = check();
        if (v !== undefined && v !== false) {
          this.waiters.delete(test);
          resolve(v);
        } else if (this.closed) {
          this.waiters.delete(test);
          reject(new Error(`the connection closed before ${what}; received: ${JSON.stringify(this.text().slice(0, 600))}`));
        }
      };
      this.waiters.add(test);
      test();
    });
  }

  async answer(n = 1): Promise<Answer[]> {
    return this.until(() => this.answers.length >= n && this.answers.slice(0, n), `${n} answers`);
  }

  whenClosed(): Promise<true> {
    return this.until(() => this.closed, "close");
  }

  destroy(): void {
    this.socket.destroy();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private parse(): void {
    this.need = 0;
    for (;;) {
      const end = this.pending.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = this.pending.toString("latin1", 0, end);
      const lines = head.split("\r\n");
      const status = Number(lines[0].split(" ")[1]);
      const fields = lines.slice(1).map((l): [string, string] => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]);
      const headers: Record<string, string> = {};
      for (const [k, v] of fields) headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
      if (status < 200) {
        this.interim.push({ status, head, fields, headers, body: Buffer.alloc(0) });
        this.pending = this.pending.subarray(end + 4);
        continue;
      }
      const cl = headers["content-length"] ?? "0";
      if (!/^\d+$/.test(cl)) {
        // A framing a real client could not follow either (e.g. two content-lengths): stop here.
        this.error = new Error(`unframed answer: ${JSON.stringify(head)}`);
        this.socket.destroy();
        return;
      }
      const length = this.bodiless.has(this.answers.length) ? 0 : Number(cl);
      if (this.pending.length < end + 4 + length) {
        this.need = end + 4 + length;
        return;
      }
      this.answers.push({ status, head, fields, headers, body: Buffer.from(this.pending.subarray(end + 4, end + 4 + length)) });
      this.pending = this.pending.subarray(end + 4 + length);
    }
  }
}

function json(a: Answer): Record<string, unknown> {
  return JSON.parse(a.body.toString()) as Record<string, unknown>;
}

const GET = (target: string, ...fields: string[]) => [`GET ${target} HTTP/1.1`, "Host: test", ...fields, "", ""].join("\r\n");

function post(target: string, body: string | Buffer, ...fields: string[]): Buffer {
  const bytes = Buffer.from(body);
  return Buffer.concat([Buffer.from([`POST ${target} HTTP/1.1`, "Host: test", `Content-Length: ${bytes.length}`, ...fields, "", ""].join("\r\n")), bytes]);
}

function chunkedPost(target: string, chunks: string[], ...fields: string[]): string {
  const body = chunks.map((c) => `${Buffer.byteLength(c, "latin1").toString(16)}\r\n${c}\r\n`).join("");
  return [`POST ${target} HTTP/1.1`, "Host: test", "Transfer-Encoding: chunked", ...fields, "", body + "0\r\n\r\n"].join("\r\n");
}

function httpRequest(
  options: http.RequestOptions & { body?: Buffer | string[] },
): Promise<{ res: http.IncomingMessage; body: Buffer; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request(options, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => resolve({ res, body: Buffer.concat(parts), reused: req.reusedSocket }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (Array.isArray(options.body)) for (const part of options.body) req.write(part);
    else if (options.body) req.write(options.body);
    req.end();
  });
}

function run(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { encoding: "latin1", maxBuffer: 1 << 24 }, (e, stdout, stderr) => (e ? reject(Object.assign(e, { stderr })) : resolve({ stdout, stderr }))),
  );
}

const CURL = ["/usr/bin/curl", "/usr/local/bin/curl", "/bin/curl"].find((p) => existsSync(p));

// ---------------------------------------------------------------------------------------------------------------

describe("Http1Server with real clients", () => {
  it("answers fetch GET and POST, with date and content-length", async () => {
    const h = await start();
    const res = await fetch(`${h.url}/v2/models?x=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get("date")).toBe(new Date(Date.parse(res.headers.get("date")!)).toUTCString());
    expect(Math.abs(Date.parse(res.headers.get("date")!) - Date.now())).toBeLessThan(5_000);
    const got = (await res.json()) as Record<string, unknown>;
    expect(got).toMatchObject({ method: "GET", url: "/v2/models?x=1", httpVersion: "1.1", length: 0 });
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength(JSON.stringify(got))));

    const body = Buffer.alloc(50_000, 7);
    const posted = await fetch(`${h.url}/infer`, { method: "POST", body, headers: { "content-type": "application/octet-stream", "X-Custom": "a" } });
    expect(posted.status).toBe(200);
    expect(await posted.json()).toMatchObject({ method: "POST", length: body.length, sha: sha(body), headers: { "content-type": "application/octet-stream", "x-custom": "a" } });
  });

  it("answers fetch with a streamed (chunked) body", async () => {
    const h = await start();
    const parts = [Buffer.alloc(1000, 1), Buffer.alloc(1, 2), Buffer.alloc(20_000, 3)];
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (const p of parts) c.enqueue(new Uint8Array(p));
        c.close();
      },
    });
    const res = await fetch(`${h.url}/s`, { method: "POST", body: stream, duplex: "half" } as RequestInit);
    const got = (await res.json()) as { length: number; sha: string; headers: Record<string, string> };
    expect(got.headers["transfer-encoding"]).toBe("chunked");
    expect(got.length).toBe(21_001);
    expect(got.sha).toBe(sha(Buffer.concat(parts)));
  });

  it("serves node:http's client over one kept-alive socket, including chunked uploads and HEAD", async () => {
    const h = await start();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const base = { host: "127.0.0.1", port: h.port, agent };
      const first = await httpRequest({ ...base, path: "/one" });
      expect(first.reused).toBe(false);
      expect(JSON.parse(first.body.toString())).toMatchObject({ url: "/one" });
      const chunked = await httpRequest({ ...base, method: "POST", path: "/two", body: ["abc", "defgh", "i"] });
      expect(chunked.reused).toBe(true);
      expect(JSON.parse(chunked.body.toString())).toMatchObject({ length: 9, sha: sha(Buffer.from("abcdefghi")), headers: { "transfer-encoding": "chunked" } });
      const head = await httpRequest({ ...base, method: "HEAD", path: "/three" });
      expect(head.reused).toBe(true);
      expect(Number(head.res.headers["content-length"])).toBeGreaterThan(0);
      expect(head.body.length).toBe(0);
      const fixed = await httpRequest({ ...base, method: "PUT", path: "/four", body: Buffer.from("xyz"), headers: { "content-length": 3 } });
      expect(fixed.reused).toBe(true);
      expect(JSON.parse(fixed.body.toString())).toMatchObject({ method: "PUT", length: 3 });
      expect(h.server.connections.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it("keeps a fetch connection alive across requests", async () => {
    const h = await start();
    for (let i = 0; i < 10; i++) expect(await (await fetch(`${h.url}/k${i}`)).json()).toMatchObject({ url: `/k${i}` });
    // undici opens a second socket for the second request (it does the same with node:http), then reuses both.
    expect(h.server.connections.size).toBeLessThanOrEqual(2);
  });

  it.skipIf(!CURL)("answers curl's Expect: 100-continue upload with 100 first", async () => {
    const h = await start();
    const dir = mkdtempSync(path.join(tmpdir(), "http1-"));
    try {
      const file = path.join(dir, "body");
      const body = Buffer.alloc(5000, 9);
      writeFileSync(file, body);
      const { stdout, stderr } = await run(CURL!, ["-sS", "-v", "--expect100-timeout", "30", "-H", "Expect: 100-continue", "--data-binary", `@${file}`, `${h.url}/up`]);
      expect(stderr).toMatch(/< HTTP\/1\.1 100 Continue/);
      expect(stderr).toMatch(/< HTTP\/1\.1 200 OK/);
      expect(stderr.indexOf("100 Continue")).toBeLessThan(stderr.indexOf("200 OK"));
      expect(JSON.parse(stdout)).toMatchObject({ method: "POST", length: body.length, sha: sha(body) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!CURL)("answers curl --http1.0 and closes", async () => {
    const h = await start();
    const { stdout } = await run(CURL!, ["-sS", "-i", "--http1.0", `${h.url}/old`]);
    const [head, body] = stdout.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head.toLowerCase()).toContain("connection: close");
    expect(JSON.parse(body)).toMatchObject({ httpVersion: "1.0", url: "/old" });
  });

  it("answers 413 to a fetch whose body is too large (not a reset)", async () => {
    const h = await start({ maxBodyBytes: 1000, tooLargeMessage: (limit) => `over ${limit}` });
    const res = await fetch(`${h.url}/big`, { method: "POST", body: Buffer.alloc(200_000, 1) });
    expect(res.status).toBe(413);
    expect(res.headers.get("connection")).toBe("close");
    expect(await res.json()).toEqual({ error: "over 1000" });
  });
});

describe("Http1Server framing", () => {
  it("answers pipelined requests in order, each once, including bodies, HEAD and a delayed one", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    c.bodiless.add(3);
    await c.write(
      GET("/delay?ms=30") +
        post("/p", "hello").toString("latin1") +
        chunkedPost("/c", ["abc", "de"]) +
        ["HEAD /h HTTP/1.1", "Host: test", "", ""].join("\r\n") +
        GET("/last"),
    );
    const answers = await c.answer(5);
    expect(answers.map((a) => a.headers["x-url"])).toEqual(["/delay?ms=30", "/p", "/c", "/h", "/last"]);
    expect(json(answers[1])).toMatchObject({ length: 5, sha: sha(Buffer.from("hello")) });
    expect(json(answers[2])).toMatchObject({ length: 5, sha: sha(Buffer.from("abcde")) });
    expect(Number(answers[3].headers["content-length"])).toBeGreaterThan(0);
    expect(answers[3].body.length).toBe(0);
    // Nothing more arrives: one more request gets exactly one more answer.
    await c.write(GET("/again"));
    expect((await c.answer(6))[5].headers["x-url"]).toBe("/again");
    expect(c.answers).toHaveLength(6);
  });

  it("answers the same to a pipelined batch split at every byte offset", async () => {
    const h = await start();
    const batch = Buffer.from(
      "\r\n" +
        GET("/a", "X-Repeat: 1", "x-repeat: 2") +
        post("/b", "hello", "Expect: 100-continue").toString("latin1") +
        chunkedPost("/c?q=1", ["abc", "\x00\xff", "z"]).replace("3\r\n", "3;ext=1\r\n").replace("0\r\n\r\n", "0\r\nTrailer: t\r\n\r\n") +
        ["HEAD /d HTTP/1.1", "Host: test", "", ""].join("\r\n") +
        ["GET http://test/e HTTP/1.1", "Host: test", "Connection: close", "", ""].join("\r\n"),
      "latin1",
    );
    const summary = (c: Raw) => ({
      answers: c.answers.map((a) => ({ status: a.status, url: a.headers["x-url"], connection: a.headers.connection, body: a.body.length ? { ...json(a), headers: undefined } : "" })),
      interim: c.interim.length,
    });
    const whole = await Raw.connect(h.port);
    whole.bodiless.add(3);
    await whole.write(batch);
    await whole.whenClosed();
    const expected = summary(whole);
    expect(expected.answers.map((a) => a.url)).toEqual(["/a", "/b", "/c?q=1", "/d", "/e"]);
    expect(expected.answers[4].connection).toBe("close");

    const offsets = Array.from({ length: batch.length - 1 }, (_, i) => i + 1);
    for (let i = 0; i < offsets.length; i += 50) {
      await Promise.all(
        offsets.slice(i, i + 50).map(async (at) => {
          const c = await Raw.connect(h.port);
          c.bodiless.add(3);
          await c.write(batch.subarray(0, at));
          await new Promise((r) => setImmediate(r));
          await c.write(batch.subarray(at));
          await c.whenClosed();
          const got = summary(c);
          // 100 Continue is sent only when no body byte came with the head, so it depends on the split.
          expect({ ...got, interim: 0 }, `split at ${at}`).toEqual({ ...expected, interim: 0 });
          expect(got.interim).toBeLessThanOrEqual(1);
        }),
      );
    }
  });

  it("answers the same whatever the fragments (random multi-way splits)", async () => {
    const { default: fc } = await import("fast-check");
    const h = await start();
    const batch = Buffer.from(GET("/1") + chunkedPost("/2", ["a".repeat(300), "b", "c".repeat(70)]) + post("/3", "x".repeat(200)).toString() + GET("/4", "Connection: close"));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: batch.length - 1 }), { maxLength: 8 }), async (cuts) => {
        const c = await Raw.connect(h.port);
        let from = 0;
        for (const to of [...new Set(cuts)].sort((a, b) => a - b).concat(batch.length)) {
          await c.write(batch.subarray(from, to));
          from = to;
        }
        await c.whenClosed();
        expect(c.answers.map((a) => [a.headers["x-url"], json(a).length])).toEqual([
          ["/1", 0],
          ["/2", 371],
          ["/3", 200],
          ["/4", 0],
        ]);
      }),
      { numRuns: 40 },
    );
  });

  it("sends 100 Continue before the body, then the answer", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write(["POST /up HTTP/1.1", "Host: test", "Content-Length: 2000", "Expect: 100-continue", "", ""].join("\r\n"));
    await c.until(() => c.interim.length === 1, "100 Continue");
    expect(c.text()).toBe("HTTP/1.1 100 Continue\r\n\r\n");
    const body = Buffer.alloc(2000, 5);
    await c.write(body);
    const [a] = await c.answer(1);
    expect(a.status).toBe(200);
    expect(json(a)).toMatchObject({ length: 2000, sha: sha(body) });
    // Also for a chunked body, and not for an empty one.
    await c.write(["POST /up2 HTTP/1.1", "Host: test", "Transfer-Encoding: chunked", "Expect: 100-continue", "", ""].join("\r\n"));
    await c.until(() => c.interim.length === 2, "the second 100 Continue");
    await c.write("3\r\nabc\r\n0\r\n\r\n");
    await c.write(["POST /up3 HTTP/1.1", "Host: test", "Content-Length: 0", "Expect: 100-continue", "", ""].join("\r\n"));
    const answers = await c.answer(3);
    expect(json(answers[1])).toMatchObject({ length: 3 });
    expect(answers[2].status).toBe(200);
    expect(c.interim).toHaveLength(2);
  });

  it("answers 413 without 100 Continue when the announced body is too large, and closes", async () => {
    const h = await start({ maxBodyBytes: 1000 });
    const c = await Raw.connect(h.port);
    await c.write(["POST /up HTTP/1.1", "Host: test", "Content-Length: 1001", "Expect: 100-continue", "", ""].join("\r\n"));
    const [a] = await c.answer(1);
    expect(a.status).toBe(413);
    expect(a.headers.connection).toBe("close");
    expect(json(a)).toEqual({ error: "request body is larger than 1000 bytes" });
    await c.whenClosed();
    expect(c.interim).toHaveLength(0);
    expect(h.server.inFlight).toBe(0);
  });

  it("answers 413 to a Content-Length over the limit while the client keeps sending, then closes", async () => {
    const h = await start({ maxBodyBytes: 1000 });
    const c = await Raw.connect(h.port, true);
    await c.write(post("/up", Buffer.alloc(1001)));
    const [a] = await c.answer(1);
    expect(a.status).toBe(413);
    expect(a.headers.connection).toBe("close");
    await c.until(() => c.ended, "the server's FIN");
    // The server discards what still arrives rather than resetting the connection.
    await c.write(Buffer.alloc(300_000));
    c.socket.end();
    await c.whenClosed();
    expect(c.error).toBeUndefined();
    expect(c.answers).toHaveLength(1);
    // A body exactly at the limit is fine.
    const ok = await Raw.connect(h.port);
    await ok.write(post("/up", Buffer.alloc(1000, 1)));
    expect(json((await ok.answer(1))[0])).toMatchObject({ length: 1000 });
  });

  it("answers 413 to a chunked body over the limit as soon as its size is read", async () => {
    const h = await start({ maxBodyBytes: 1000 });
    const c = await Raw.connect(h.port);
    await c.write(["POST /up HTTP/1.1", "Host: test", "Transfer-Encoding: chunked", "", "3e8", ""].join("\r\n") + "a".repeat(1000) + "\r\n1\r\n");
    const [a] = await c.answer(1);
    expect(a.status).toBe(413);
    expect(a.headers.connection).toBe("close");
    await c.whenClosed();
    expect(h.server.inFlight).toBe(0);
  });

  it("answers 431 to a head over maxHeaderBytes, complete or not", async () => {
    const h = await start({ maxHeaderBytes: 1024 });
    const big = await Raw.connect(h.port);
    await big.write(GET("/", `X-Big: ${"a".repeat(2000)}`));
    expect((await big.answer(1))[0].status).toBe(431);
    await big.whenClosed();
    const endless = await Raw.connect(h.port);
    await endless.write(`GET / HTTP/1.1\r\nX-Big: ${"a".repeat(1100)}`);
    const [a] = await endless.answer(1);
    expect(a.status).toBe(431);
    expect(a.headers.connection).toBe("close");
    await endless.whenClosed();
    const fine = await Raw.connect(h.port);
    await fine.write(GET("/", `X-Big: ${"a".repeat(900)}`));
    expect((await fine.answer(1))[0].status).toBe(200);
  });

  it.each<[string, number, string]>([
    ["a garbage request line", 400, "HELLO\r\n\r\n"],
    ["a missing Host", 400, "GET / HTTP/1.1\r\n\r\n"],
    ["Content-Length with Transfer-Encoding", 400, "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"],
    ["obs-fold", 400, "GET / HTTP/1.1\r\nHost: t\r\nX-A: a\r\n b\r\n\r\n"],
    ["a bare LF in a value", 400, "GET / HTTP/1.1\r\nHost: t\r\nX-A: a\nX-B: b\r\n\r\n"],
    ["a bad chunk size", 400, "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"],
    ["gzip transfer coding", 501, "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n"],
    ["HTTP/2 preface", 505, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"],
    ["a bad Expect", 417, "GET / HTTP/1.1\r\nHost: t\r\nExpect: foo\r\n\r\n"],
    ["TLS", 400, "\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n"],
  ])("refuses %s with %i as JSON and closes", async (_what, status, wire) => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write(wire);
    const [a] = await c.answer(1);
    expect(a.status).toBe(status);
    expect(a.headers["content-type"]).toBe("application/json");
    expect(a.headers.connection).toBe("close");
    expect(typeof json(a).error).toBe("string");
    await c.whenClosed();
    expect(c.answers).toHaveLength(1);
    expect(h.server.inFlight).toBe(0);
  });

  it("refuses a malformed request pipelined after a good one, answering the good one first", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write(GET("/delay?ms=20") + "GET / HTTP/1.1\r\nHost: t\r\nHost: u\r\n\r\n" + GET("/never"));
    await c.whenClosed();
    expect(c.answers.map((a) => a.status)).toEqual([200, 400]);
  });

  it("closes an HTTP/1.0 connection after the answer unless it asked for keep-alive", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write("GET /a HTTP/1.0\r\n\r\n");
    const [a] = await c.answer(1);
    expect(a.headers.connection).toBe("close");
    await c.whenClosed();

    const k = await Raw.connect(h.port);
    await k.write("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    expect((await k.answer(1))[0].headers.connection).toBe("keep-alive");
    await k.write("POST /c HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi");
    const second = (await k.answer(2))[1];
    expect(json(second)).toMatchObject({ httpVersion: "1.0", length: 2 });
    await k.write("GET /d HTTP/1.0\r\n\r\n");
    expect((await k.answer(3))[2].headers.connection).toBe("close");
    await k.whenClosed();
  });

  it("closes after answering a 1.1 request with Connection: close, and when the handler asks", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write(GET("/a", "Connection: close") + GET("/never"));
    await c.whenClosed();
    expect(c.answers).toHaveLength(1);
    expect(c.answers[0].headers.connection).toBe("close");

    const d = await Raw.connect(h.port);
    await d.write(GET("/close") + GET("/never"));
    await d.whenClosed();
    expect(d.answers.map((a) => [a.body.toString(), a.headers.connection])).toEqual([["bye", "close"]]);
  });

  it("writes its own framing headers whatever case the handler uses for them", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write(GET("/upper"));
    const [a] = await c.answer(1);
    expect(a.fields.filter(([k]) => k === "content-length")).toEqual([["content-length", "3"]]);
    expect(a.fields.filter(([k]) => k === "transfer-encoding")).toEqual([]);
    expect(a.fields.filter(([k]) => k === "date")).toHaveLength(1);
    expect(a.headers.date).not.toBe("yesterday");
    expect(a.headers["x-kept"]).toBe("yes");
    expect(a.body.toString()).toBe("abc");
  });

  it("writes large answers whole", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    await c.write(GET("/big?size=300000") + GET("/big?size=10"));
    const answers = await c.answer(2);
    expect(answers[0].body.equals(Buffer.alloc(300_000, 97))).toBe(true);
    expect(answers[1].body.toString()).toBe("a".repeat(10));
  });
});

describe("Http1Server handler contract", () => {
  it("tells the handler when the client leaves, once, and ignores a late send", async () => {
    const h = await start();
    const c = await Raw.connect(h.port);
    const held = once(h.events, "held");
    await c.write(GET("/hold"));
    await held;
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
    const held = once(h.events, "held");
    await c.write(GET("/hold"));
    await held;
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
    const held = once(h.events, "held");
    await c.write(GET("/stale") + GET("/hold"));
    await held;
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
    const held = once(h.events, "held");
    await busy.write(GET("/hold"));
    await held;
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
    const held = once(h.events, "held");
    await busy.write(GET("/hold"));
    await held;
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
    const held = once(h.events, "held");
    await busy.write(GET("/hold"));
    await held;
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
