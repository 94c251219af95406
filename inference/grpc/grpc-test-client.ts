/**
 * A gRPC client of the Open Inference Protocol for tests: each call returns its answer, the initial metadata and the
 * status, and never throws on a gRPC error (tests assert on `code` and `details`).
 */
import * as grpc from "@grpc/grpc-js";
import { grpcService } from "./grpc-service";

export interface GrpcAnswer {
  code: grpc.status;
  details: string;
  /** The answer (null on an error). */
  res: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Initial metadata (on success) or the error's trailers. */
  metadata: Record<string, string>;
}

/** A request object (written by protobufjs), or a message's bytes as they are to be sent (ModelInfer only). */
export type GrpcCall = (method: string, request: object | Buffer, opts?: { token?: string; headers?: Record<string, string>; deadlineMs?: number }) => Promise<GrpcAnswer>;

/** A stream's answers in the order they came, and its final status. */
export interface GrpcStreamAnswer {
  code: grpc.status;
  details: string;
  responses: any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Sends `requests` on one ModelStreamInfer stream, then ends its side (unless `keepOpen`); resolves with the stream's status. */
export type GrpcStream = (requests: object[], opts?: { token?: string; keepOpen?: boolean }) => Promise<GrpcStreamAnswer>;

/** `call` reaches the inference service's methods, and `Health.Check` as "Health.Check"; `stream` its streaming inference. */
export function grpcTestClient(port: number): { call: GrpcCall; stream: GrpcStream; close(): void } {
  const Service = grpcService("inference.GRPCInferenceService");
  const Health = grpcService("grpc.health.v1.Health");
  const address = `127.0.0.1:${port}`;
  const inference = new Service(address, grpc.credentials.createInsecure(), { "grpc.max_send_message_length": -1 });
  const health = new Health(address, grpc.credentials.createInsecure());
  const flat = (m: grpc.Metadata) => Object.fromEntries(Object.entries(m.getMap()).map(([k, v]) => [k, String(v)]));

  const call: GrpcCall = (method, request, opts = {}) =>
    new Promise((resolve) => {
      const metadata = new grpc.Metadata();
      if (opts.token) metadata.set("authorization", `Bearer ${opts.token}`);
      for (const [k, v] of Object.entries(opts.headers ?? {})) metadata.set(k, v);
      let initial: Record<string, string> = {};
      const options = opts.deadlineMs ? { deadline: Date.now() + opts.deadlineMs } : {};
      const [client, name] = method.startsWith("Health.") ? [health, method.slice("Health.".length)] : [inference, method];
      const done = (err: grpc.ServiceError | null, res: unknown) => {
        if (err) resolve({ code: err.code, details: err.details, res: null, metadata: flat(err.metadata) });
        else resolve({ code: grpc.status.OK, details: "", res, metadata: initial });
      };
      const infer = Service.service.ModelInfer;
      const c = Buffer.isBuffer(request)
        ? inference.makeUnaryRequest(infer.path, (b: Buffer) => b, infer.responseDeserialize, request, metadata, options, done)
        : client[name](request, metadata, options, done);
      c.on("metadata", (m: grpc.Metadata) => (initial = flat(m)));
    });
  const stream: GrpcStream = (requests, opts = {}) =>
    new Promise((resolve) => {
      const metadata = new grpc.Metadata();
      if (opts.token) metadata.set("authorization", `Bearer ${opts.token}`);
      const responses: unknown[] = [];
      const s = inference.ModelStreamInfer(metadata);
      s.on("data", (r: unknown) => responses.push(r));
      s.on("error", () => {}); // the status below says it
      s.on("status", (st: grpc.StatusObject) => resolve({ code: st.code, details: st.details, responses }));
      for (const r of requests) s.write(r);
      if (!opts.keepOpen) s.end();
    });
  return {
    call,
    stream,
    close: () => {
      inference.close();
      health.close();
    },
  };
}
