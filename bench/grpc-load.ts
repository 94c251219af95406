/**
 * A closed-loop gRPC load generator (the Open Inference Protocol's ModelInfer), its own process like load.ts:
 * `connections` clients, each on a channel (an HTTP/2 connection) of its own, each sending the next call as soon as
 * the previous answer arrives, the input as raw_input_contents (what tritonclient.grpc sends). With `stream`, each
 * client opens one ModelStreamInfer stream and sends its next request on it when the previous answer arrives (as
 * tritonclient.grpc's async_stream_infer with one request in flight; perf_analyzer --streaming).
 *
 * argv[2] = JSON { address, endpoint, token, batch, inputs, connections, seconds, warmupSeconds, stream? }.
 * Prints one JSON line shaped as load.ts's (statusCounts keyed by gRPC status code).
 */
import * as grpc from "@grpc/grpc-js";
import { grpcService } from "@/inference/grpc/grpc-service";
import { inputRows } from "./request-rows";

interface GrpcLoadArgs {
  address: string;
  endpoint: string;
  token: string;
  batch: number;
  inputs: number;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  stream?: boolean;
}

type AnyClient = grpc.Client & Record<string, (...args: unknown[]) => unknown>;
/** Sends one request; `done` gets its error (or null) when its answer arrives. */
type Sender = (done: (err: { code: grpc.status; details: string } | null) => void) => void;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const a = JSON.parse(process.argv[2]) as GrpcLoadArgs;
  const Service = grpcService("inference.GRPCInferenceService");
  const rows = inputRows(a.batch);
  const request = {
    model_name: a.endpoint,
    inputs: [{ name: "x", datatype: "FP32", shape: [a.batch, a.inputs] }],
    raw_input_contents: [Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength)],
  };
  const metadata = new grpc.Metadata();
  metadata.set("authorization", `Bearer ${a.token}`);
  // A channel per client: grpc-js shares one connection between clients of the same address unless told not to.
  const clients = Array.from({ length: a.connections }, () => new Service(a.address, grpc.credentials.createInsecure(), { "grpc.use_local_subchannel_pool": 1 }));

  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  let requests = 0;
  let errors = 0;
  let warmupRequests = 0;
  let warmupErrors = 0;
  let sampleError: string | undefined;
  const start = performance.now();
  const measureFrom = start + a.warmupSeconds * 1000;
  const end = measureFrom + a.seconds * 1000;
  const cpu0 = process.cpuUsage();
  let cpuAtMeasure = cpu0;

  const unarySender = (client: AnyClient): Sender => (done) => client.ModelInfer(request, metadata, done);
  /** One stream per client, one request in flight on it: each answer (or error_message) completes the request sent. */
  const streamSender = (client: AnyClient): { send: Sender; close(): void } => {
    const stream = client.ModelStreamInfer(metadata) as grpc.ClientDuplexStream<object, { error_message: string }>;
    let waiting: Parameters<Sender>[0] | undefined;
    const answer = (err: { code: grpc.status; details: string } | null) => {
      const w = waiting;
      waiting = undefined;
      w?.(err);
    };
    stream.on("data", (r) => answer(r.error_message ? { code: grpc.status.UNKNOWN, details: r.error_message } : null));
    stream.on("error", (e: grpc.ServiceError) => answer(e));
    return {
      send: (done) => {
        waiting = done;
        stream.write(request);
      },
      close: () => stream.end(),
    };
  };

  const loop = (client: AnyClient) =>
    new Promise<void>((resolve) => {
      const sender = a.stream ? streamSender(client) : { send: unarySender(client), close: () => {} };
      const send = () => {
        const t0 = performance.now();
        if (t0 >= end) {
          sender.close();
          return resolve();
        }
        sender.send((err) => {
          const t1 = performance.now();
          const code = err ? err.code : grpc.status.OK;
          statusCounts[code] = (statusCounts[code] ?? 0) + 1;
          if (err) sampleError ??= `${grpc.status[err.code]}: ${err.details}`;
          if (t0 >= measureFrom && t1 <= end) {
            requests++;
            if (err) errors++;
            latencies.push(t1 - t0);
          } else if (t0 < measureFrom) {
            warmupRequests++;
            if (err) warmupErrors++;
          }
          send();
        });
      };
      send();
    });

  const measureTimer = setTimeout(() => (cpuAtMeasure = process.cpuUsage()), Math.max(0, measureFrom - performance.now()));
  await Promise.all(clients.map((c) => loop(c as AnyClient)));
  clearTimeout(measureTimer);
  const cpu = process.cpuUsage(cpuAtMeasure);
  for (const c of clients) c.close();
  const sorted = Float64Array.from(latencies).sort();
  console.log(
    JSON.stringify({
      requests,
      errors,
      seconds: a.seconds,
      rps: requests / a.seconds,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      warmupRequests,
      warmupErrors,
      cpuPct: ((cpu.user + cpu.system) / 1e6 / a.seconds) * 100,
      statusCounts,
      ...(sampleError && { sampleError }),
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
