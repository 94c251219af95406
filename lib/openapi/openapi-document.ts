/**
 * The control plane's OpenAPI document, built once per process from every contract (building it runs zod's JSON Schema
 * conversion over all of them): GET /api/openapi.json serves it and the API reference page renders it.
 */
import { allContracts } from "./all-contracts";
import { buildOpenApiDocument } from "./build-openapi-document";

let cached: ReturnType<typeof buildOpenApiDocument> | undefined;

export function openApiDocument(): ReturnType<typeof buildOpenApiDocument> {
  cached ??= buildOpenApiDocument(allContracts, { version: process.env.npm_package_version });
  return cached;
}
