/**
 * The OpenAPI 3.1 document of the control-plane API, generated from the same zod contracts the routes parse with
 * (zod 4's `z.toJSONSchema`, JSON Schema 2020-12 = OpenAPI 3.1's dialect). Pure (zod only).
 */
import { z } from "zod";
import type { ApiContract } from "./contract";

type JsonSchema = Record<string, unknown>;

const errorSchema: JsonSchema = {
  type: "object",
  properties: { error: { type: "string" } },
  required: ["error"],
};

const STATUS_TEXT: Record<number, string> = {
  200: "OK", 201: "Created", 202: "Accepted", 204: "No content", 400: "Invalid request", 401: "Not signed in",
  403: "Forbidden (role or scope)", 404: "Not found", 409: "Conflict", 413: "Payload too large",
  415: "Unsupported media type", 422: "Unprocessable", 429: "Too many requests", 503: "Unavailable",
};

function toSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const s = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  delete s.$schema;
  return s;
}

function parameters(obj: z.ZodObject | undefined, where: "path" | "query") {
  if (!obj) return [];
  const s = toSchema(obj, "input");
  const props = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return { name, in: where, required: where === "path" || required.has(name), ...(description ? { description } : {}), schema: rest };
  });
}

function requestBody(body: ApiContract["body"]) {
  if (!body) return undefined;
  if ("multipart" in body && !(body instanceof z.ZodType)) {
    const fields = body.multipart;
    const properties = Object.fromEntries(Object.entries(fields).map(([name, f]) => [
      name,
      { type: "string", ...(f.type === "file" ? { format: "binary" } : {}), ...(f.description ? { description: f.description } : {}) },
    ]));
    const required = Object.entries(fields).filter(([, f]) => f.required).map(([n]) => n);
    return { required: true, content: { "multipart/form-data": { schema: { type: "object", properties, required } } } };
  }
  return { required: true, content: { "application/json": { schema: toSchema(body as z.ZodType, "input") } } };
}

function operation(c: ApiContract) {
  const responses: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(c.responses)) {
    const description = STATUS_TEXT[Number(status)] ?? "Response";
    responses[status] = schema ? { description, content: { "application/json": { schema: toSchema(schema, "output") } } } : { description };
  }
  const defaults = c.role === "public" ? [] : [400, 401, 403];
  for (const status of defaults) {
    responses[status] ??= { description: STATUS_TEXT[status], content: { "application/json": { schema: errorSchema } } };
  }
  return {
    operationId: `${c.method}${c.path.replace(/[{}]/g, "").split(/[/._-]/).filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join("")}`,
    summary: c.summary,
    ...(c.description ? { description: c.description } : {}),
    tags: c.tags,
    "x-ferry-role": c.role,
    security: c.role === "public" ? [] : [{ bearerToken: [] }, { sessionCookie: [] }],
    parameters: [...parameters(c.params, "path"), ...parameters(c.query, "query")],
    ...(c.body ? { requestBody: requestBody(c.body) } : {}),
    responses,
  };
}

export function buildOpenApiDocument(contracts: ApiContract[], opts: { version?: string; serverUrl?: string } = {}) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const c of [...contracts].sort((a, b) => a.path.localeCompare(b.path))) {
    const item = (paths[c.path] ??= {});
    if (item[c.method]) throw new Error(`two contracts for ${c.method.toUpperCase()} ${c.path}`);
    item[c.method] = operation(c);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Ferry control-plane API",
      version: opts.version ?? "0.1.0",
      description:
        "JSON under /api. Authenticate with the dashboard's session cookie or `Authorization: Bearer <token>`. " +
        "Errors are `{ \"error\": \"…\" }` with a 4xx/5xx status. Each operation's `x-ferry-role` is the minimum role; " +
        "tokens also need the `read` scope for GET and `write` for mutations.",
    },
    ...(opts.serverUrl ? { servers: [{ url: opts.serverUrl }] } : {}),
    tags: [...new Set(contracts.flatMap((c) => c.tags))].sort().map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearerToken: { type: "http", scheme: "bearer", description: "an API token (fry_…) created in Settings or with `ferry token create`" },
        sessionCookie: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
    },
  };
}
