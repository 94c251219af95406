/**
 * A small closed-loop HTTP load generator, run as its own process so it doesn't share the server's event loop:
 * `connections` keep-alive sockets each send the next request as soon as the previous answer arrives.
 * Prints one JSON line: { requests, errors, seconds, rps, p50Ms, p99Ms }.
 */
import http from "node:http";

interface LoadArgs {
  url: string;
  body: string; // base64
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  warmupSeconds: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const args = JSON.parse(process.argv[2]) as LoadArgs;
  const url = new URL(args.url);
  const body = Buffer.from(args.body, "base64");
  const agent = new http.Agent({ keepAlive: true, maxSockets: args.connections });
  const headers = { ...args.headers, "content-length": String(body.length) };
  const latencies: number[] = [];
  let errors = 0;
  let measuring = false;
  let stop = false;

  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = process.hrtime.bigint();
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: "POST", agent, headers },
        (res) => {
          res.on("data", () => {});
          res.on("end", () => {
            if (measuring) {
              if (res.statusCode !== 200) errors++;
              latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            }
            resolve();
          });
        },
      );
      req.on("error", () => {
        if (measuring) errors++;
        resolve();
      });
      req.end(body);
    });

  const loop = async () => {
    while (!stop) await one();
  };
  const loops = Array.from({ length: args.connections }, loop);
  await new Promise((r) => setTimeout(r, args.warmupSeconds * 1000));
  measuring = true;
  const started = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, args.seconds * 1000));
  measuring = false;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  stop = true;
  await Promise.all(loops);
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  console.log(
    JSON.stringify({
      requests: latencies.length,
      errors,
      seconds,
      rps: latencies.length / seconds,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
    }),
  );
}

main();
