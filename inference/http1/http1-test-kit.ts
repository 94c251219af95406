/**
 * What the Http1Server tests share: a server with an echo handler started per test on 127.0.0.1:0 (`start`, stopped by
 * `stopStarted` after each test), a raw client that parses answers as they arrive (`Raw`), request builders, and
 * real clients (node:http, curl).
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { EventEmitter, once } from "node:events";
import { existsSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { Http1Server, type Http1Handler, type Http1Reply, type Http1Request, type Http1ServerOptions } from "./http1-server";
// ---------------------------------------------------------------------------------------------------------------
// A server with an echo handler, started per test on 127.0.0.1:0

export interface Held {
  req: Http1Request;
  reply: Http1Reply;
}

export interface Harness {
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

/** Stops every server started since the last call (each test file runs it after each test). */
export function stopStarted(): void {
  for (const h of started.splice(0)) {
    h.server.stopListening();
    h.server.closeAllConnections();
  }
}

export function sha(b: Buffer): string {
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
      case "/text":
        // A string body (UTF-8), repeated: the server encodes it behind the head (or after it, when large).
        reply.send(200, { "content-type": "text/plain; charset=utf-8" }, q("text").repeat(Number(q("repeat") || 1)));
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

export async function start(options: Partial<Http1ServerOptions> = {}): Promise<Harness> {
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

export interface Answer {
  status: number;
  head: string;
  /** Lower-case names, in order, repeats kept. */
  fields: [string, string][];
  headers: Record<string, string>;
  body: Buffer;
}

export class Raw {
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

export function json(a: Answer): Record<string, unknown> {
  return JSON.parse(a.body.toString()) as Record<string, unknown>;
}

export const GET = (target: string, ...fields: string[]) => [`GET ${target} HTTP/1.1`, "Host: test", ...fields, "", ""].join("\r\n");

/** Writes `bytes` (a `/hold` request by default) on `c` and resolves once the handler holds the `/hold` request. */
export async function writeUntilHeld(h: Harness, c: Raw, bytes: string | Buffer = GET("/hold")): Promise<void> {
  const held = once(h.events, "held");
  await c.write(bytes);
  await held;
}

export function post(target: string, body: string | Buffer, ...fields: string[]): Buffer {
  const bytes = Buffer.from(body);
  return Buffer.concat([Buffer.from([`POST ${target} HTTP/1.1`, "Host: test", `Content-Length: ${bytes.length}`, ...fields, "", ""].join("\r\n")), bytes]);
}

export function chunkedPost(target: string, chunks: string[], ...fields: string[]): string {
  const body = chunks.map((c) => `${Buffer.byteLength(c, "latin1").toString(16)}\r\n${c}\r\n`).join("");
  return [`POST ${target} HTTP/1.1`, "Host: test", "Transfer-Encoding: chunked", ...fields, "", body + "0\r\n\r\n"].join("\r\n");
}

export function httpRequest(
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

export function run(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { encoding: "latin1", maxBuffer: 1 << 24 }, (e, stdout, stderr) => (e ? reject(Object.assign(e, { stderr })) : resolve({ stdout, stderr }))),
  );
}

export const CURL = ["/usr/bin/curl", "/usr/local/bin/curl", "/bin/curl"].find((p) => existsSync(p));

// ---------------------------------------------------------------------------------------------------------------
