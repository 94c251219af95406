/**
 * The protos beside this file (the Open Inference Protocol's GRPCInferenceService with Triton's calls, and gRPC's
 * health check), loaded once by @grpc/proto-loader, for the server, its clients (tests, the bench) and the tests'
 * reference encoding. The loader's options are the shape lib/oip's message types assume (`keepCase`, `longs: String`,
 * `defaults`, `oneofs`), which decodeModelInferRequest's reading of ModelInferRequest mirrors.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROTOS = [path.join(HERE, "grpc_predict_v2.proto"), path.join(HERE, "grpc_health_v1.proto")];

let definition: grpc.GrpcObject | undefined;

/** A service of the protos by its package path ("inference.GRPCInferenceService"): its constructor makes clients, `.service` serves. */
export function grpcService(name: string): grpc.ServiceClientConstructor {
  definition ??= grpc.loadPackageDefinition(protoLoader.loadSync(PROTOS, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true }));
  return name.split(".").reduce<unknown>((o, key) => (o as Record<string, unknown>)[key], definition) as grpc.ServiceClientConstructor;
}
