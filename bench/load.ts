/**
 * A small closed-loop HTTP/1.1 load generator, run as its own process so it doesn't share the server's event loop:
 * `connections` keep-alive sockets each send the next request as soon as the previous answer arrives.
 *
 * It writes pre-serialized request bytes to raw sockets and parses only the status line and the framing
 * (Content-Length or chunked) of each answer: node:http's client costs about as much CPU per request as the bare
 * server does to answer it, and on a 2-core machine the generator then becomes the bottleneck it is meant to measure.
 *
 * argv[2] = JSON { url, body (base64), headers, connections, seconds, warmupSeconds, method? }.
 * Prints one JSON line: { requests, errors, seconds, rps, p50Ms, p99Ms, warmupRequests, warmupErrors, cpuPct,
 * statusCounts, sampleError? }. `errors` counts non-200 answers and socket failures during the measured window.
 */
import net from "node:net";

interface LoadArgs {
  url: string;
  body: string; // base64
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  method?: string;
}

interface Answer {
  status: number;
  body: Buffer;
  close: boolean;
}

const CRLF2 = Buffer.from("\r\n\r\n");
const CRLF = Buffer.from("\r\n");

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Splits complete HTTP/1.1 answers off the front of a byte stream; keeps the unfinished rest. */
class ResponseParser {
  private pending: Buffer = Buffer.alloc(0);
  private head: { status: number; length: number; chunked: boolean; close: boolean } | null = null;

  push(chunk: Buffer, onAnswer: (a: Answer) => void): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      if (!this.head) {
        const end = this.pending.indexOf(CRLF2);
        if (end < 0) return;
        const text = this.pending.toString("latin1", 0, end);
        const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(text);
        this.head = {
          status: Number(text.slice(9, 12)),
          length: length ? Number(length[1]) : -1,
          chunked: /\r\ntransfer-encoding:[ \t]*chunked/i.test(text),
          close: /\r\nconnection:[ \t]*close/i.test(text),
        };
        this.pending = this.pending.subarray(end + 4);
      }
      const body = this.head.chunked ? this.takeChunked() : this.takeLength(Math.max(0, this.head.length));
      if (!body) return;
      onAnswer({ status: this.head.status, body, close: this.head.close });
      this.head = null;
    }
  }

  private takeLength(n: number): Buffer | null {
    if (this.pending.length < n) return null;
    const body = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    return body;
  }

  /** Chunked bodies without trailers (what node:http writes). */
  private takeChunked(): Buffer | null {
    const parts: Buffer[] = [];
    let pos = 0;
    for (;;) {
      const eol = this.pending.indexOf(CRLF, pos);
      if (eol < 0) return null;
      const size = parseInt(this.pending.toString("latin1", pos, eol), 16);
      if (size === 0) {
        if (this.pending.length < eol + 4) return null;
        this.pending = this.pending.subarray(eol + 4);
        return Buffer.concat(parts);
      }
      if (this.pending.length < eol + 2 + size + 2) return null;
      parts.push(this.pending.subarray(eol + 2, eol + 2 + size));
      pos = eol + 2 + size + 2;
    }
  }
}

async function main() {
  const args = JSON.parse(process.argv[2]) as LoadArgs;
  const url = new URL(args.url);
  const port = Number(url.port || 80);
  const body = Buffer.from(args.body, "base64");
  const headerLines = Object.entries({ host: url.host, ...args.headers, "content-length": String(body.length) })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  const request = Buffer.concat([Buffer.from(`${args.method ?? "POST"} ${url.pathname}${url.search} HTTP/1.1\r\n${headerLines}\r\n`, "latin1"), body]);

  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let errors = 0;
  let warmupRequests = 0;
  let warmupErrors = 0;
  const statusCounts: Record<string, number> = {};
  let sampleError: string | undefined;
  let measuring = false;
  let stop = false;

  const record = (status: number, ms: number, errorText?: string) => {
    statusCounts[status] = (statusCounts[status] ?? 0) + 1;
    if (status !== 200) sampleError ??= `${status === 0 ? "socket error" : `HTTP ${status}`}: ${(errorText ?? "").slice(0, 300)}`;
    if (!measuring) {
      warmupRequests++;
      if (status !== 200) warmupErrors++;
      return;
    }
    if (status !== 200) errors++;
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = ms;
  };

  const connection = () =>
    new Promise<void>((resolve) => {
      let t0 = 0;
      let busy = false;
      const parser = new ResponseParser();
      const socket = net.connect({ host: url.hostname, port });
      socket.setNoDelay(true);
      const send = () => {
        if (stop) {
          socket.end();
          return;
        }
        busy = true;
        t0 = performance.now();
        socket.write(request);
      };
      socket.on("connect", send);
      socket.on("data", (chunk) =>
        parser.push(chunk, (a) => {
          busy = false;
          record(a.status, performance.now() - t0, a.status === 200 ? undefined : a.body.toString("utf8"));
          if (a.close) socket.end();
          else send();
        }),
      );
      socket.on("error", (e) => {
        if (!stop) record(0, performance.now() - t0, e.message);
      });
      socket.on("close", () => {
        if (busy && !stop) record(0, performance.now() - t0, "connection closed before the answer");
        // The server closed the connection (Connection: close, error): open a new one, as a client pool would.
        if (stop) resolve();
        else setTimeout(() => connection().then(resolve), 10);
      });
    });

  const loops = Array.from({ length: args.connections }, connection);
  await new Promise((r) => setTimeout(r, args.warmupSeconds * 1000));
  measuring = true;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, args.seconds * 1000));
  measuring = false;
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  stop = true;
  await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, 5_000))]);
  const sorted = latencies.subarray(0, count).sort();
  console.log(
    JSON.stringify({
      requests: count,
      errors,
      seconds,
      rps: count / seconds,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      warmupRequests,
      warmupErrors,
      // The generator's own CPU use (% of one core): near 100 means it, not the server, is the limit.
      cpuPct: ((cpu.user + cpu.system) / 1e6 / seconds) * 100,
      statusCounts,
      ...(sampleError !== undefined && { sampleError }),
    }),
  );
  process.exit(0);
}

main();
