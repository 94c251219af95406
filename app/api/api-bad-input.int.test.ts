// Every control-plane route that takes a JSON body, sent what a careless or hostile client sends: malformed JSON, any
// JSON value, and objects with the schema's own keys holding anything; every route with query parameters, sent any
// text in them. Each answer must be a 4xx with an `error` a person can read (or a success, when the input happens to
// be valid) — never a 500 or a stack trace. Routes are found from the OpenAPI contracts, so a new route is covered
// when it is documented.
import fc from "fast-check";
import type { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { allContracts } from "@/lib/openapi/all-contracts";
import type { ApiContract } from "@/lib/openapi/contract";
import { makeEndpoint, makeToken, makeUser, uniq } from "@/lib/alerts/alerts-test-kit";
import { call } from "@/lib/registry/registry-test-kit";

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
type RouteModule = Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", Handler>>;

const routeFiles = import.meta.glob<RouteModule>("/app/api/**/route.ts");

/** The route file serving a concrete path, with its dynamic segments' values; static segments win over dynamic ones. */
function routeFor(path: string): { file: string; params: Record<string, string> } {
  const parts = path.split("/").filter(Boolean);
  let best: { file: string; params: Record<string, string>; dynamic: number } | undefined;
  for (const file of Object.keys(routeFiles)) {
    const segments = file.replace(/^\/app\//, "").replace(/\/route\.ts$/, "").split("/");
    if (segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let dynamic = 0;
    const fits = segments.every((s, i) => {
      const m = /^\[(\w+)\]$/.exec(s);
      if (m) {
        params[m[1]] = parts[i];
        dynamic++;
        return true;
      }
      return s === parts[i];
    });
    if (fits && (!best || dynamic < best.dynamic)) best = { file, params, dynamic };
  }
  if (!best) throw new Error(`no route file serves ${path}`);
  return best;
}

/** An object with the schema's keys (when it is an object schema), each holding anything, some left out. */
function sameKeys(schema: z.ZodType): fc.Arbitrary<unknown> {
  const shape = schema instanceof z.ZodObject ? (schema.shape as Record<string, unknown>) : null;
  if (!shape) return fc.jsonValue({ maxDepth: 2 });
  const anything = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 6 }), fc.integer(), fc.constantFrom(-1, 0, 1e308, "", null, [], {}));
  return fc.record(Object.fromEntries(Object.keys(shape).map((k) => [k, anything])), { requiredKeys: [] });
}

function expectReadable(status: number, body: { error?: unknown } | undefined, what: string): void {
  expect(status, what.slice(0, 300)).toBeLessThan(500);
  if (status < 400) return;
  expect(typeof body?.error, what.slice(0, 300)).toBe("string");
  expect(body!.error, what.slice(0, 300)).not.toMatch(/\n\s+at |\/work\/|\.ts\b|node_modules|\[object Object\]/);
}

const MALFORMED = ["", "{", "nope", '{"a":', "[1,2", "\u0000", '{"__proto__":{"x":1}}', "1e999999", '"' + "x".repeat(10_000) + '"'];

describe("control-plane routes under bad input", () => {
  let token: string;
  const values: Record<string, string> = {};

  beforeAll(async () => {
    const db = await getDb();
    token = await makeToken("admin");
    const endpoint = await makeEndpoint();
    const model = await db.model.create({ data: { name: uniq("bad-bodies") } });
    await db.modelVersion.create({
      data: { modelId: model.id, version: 1, status: "ready", sha256: "0".repeat(64), sizeBytes: 1n, storageKey: "bad-bodies", signature: { inputs: [], outputs: [] } },
    });
    const user = await makeUser("viewer");
    const alert = await db.alert.create({ data: { endpointId: endpoint.id, signal: "error_rate", title: "bad-bodies alert" } });
    // Disabled: integration test files share the database, and an enabled hook would get other tests' alert events.
    const webhook = await db.webhook.create({ data: { name: uniq("hook"), url: "http://127.0.0.1:9/never", secret: "s", enabled: false } });
    Object.assign(values, { endpoint: endpoint.name, model: model.name, version: "1", alias: "staging", user: user.id, alert: alert.id, webhook: webhook.id });
  });

  afterAll(async () => {
    if (values.webhook) await (await getDb()).webhook.delete({ where: { id: values.webhook } }).catch(() => {});
  });

  /** The contract's path with fixtures for its parameters (a made-up id where no fixture fits). */
  function concrete(c: ApiContract): string {
    return c.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (name === "name") return c.path.startsWith("/api/models") ? values.model : values.endpoint;
      if (name === "id") return c.path.startsWith("/api/alerts") ? values.alert : c.path.startsWith("/api/users") ? values.user : c.path.startsWith("/api/webhooks") ? values.webhook : "c000000000000000000000000";
      if (name === "decision") return "approve";
      return values[name] ?? "x";
    });
  }

  // The Try-it proxy needs a running data plane to answer: its bad-input test is in endpoints/endpoints.int.test.ts
  // (and the plane's parser has a property test of its own, lib/oip/parse-infer-request.fuzz.test.ts); uploads are
  // multipart.
  const withBodies = allContracts.filter((c) => c.body && !("multipart" in c.body) && !c.path.endsWith("/try"));

  it("finds the routes that take a JSON body", () => {
    expect(withBodies.length).toBeGreaterThan(15);
  });

  it.each(withBodies.map((c, i) => [`${c.method.toUpperCase()} ${c.path}`, c, i] as const))("%s answers 4xx with a readable error", async (_, contract, seed) => {
    const path = concrete(contract);
    const { file, params } = routeFor(path);
    const handler = (await routeFiles[file]())[contract.method.toUpperCase() as keyof RouteModule];
    expect(handler, `${file} exports ${contract.method.toUpperCase()}`).toBeTypeOf("function");
    const bodies: { text?: string; json?: unknown }[] = [
      ...MALFORMED.map((text) => ({ text })),
      ...fc.sample(fc.jsonValue({ maxDepth: 3 }), { numRuns: 20, seed }).map((json) => ({ json })),
      ...fc.sample(sameKeys(contract.body as z.ZodType), { numRuns: 60, seed: 1_000 + seed }).map((json) => ({ json })),
    ];
    for (const b of bodies) {
      const sent = b.text !== undefined ? { body: b.text, headers: { "content-type": "application/json" } } : { json: b.json };
      const { status, body } = await call(handler!, { path, params, method: contract.method.toUpperCase(), token, ...sent });
      expectReadable(status, body, `${contract.method.toUpperCase()} ${path} with ${b.text ?? JSON.stringify(b.json)}`);
    }
  }, 60_000);

  const withQueries = allContracts.filter((c) => c.query && Object.keys(c.query.shape).length > 0);

  it.each(withQueries.map((c, i) => [`${c.method.toUpperCase()} ${c.path}`, c, i] as const))("%s answers any query text with 4xx or its data", async (_, contract, seed) => {
    const path = concrete(contract);
    const { file, params } = routeFor(path);
    const handler = (await routeFiles[file]())[contract.method.toUpperCase() as keyof RouteModule];
    const keys = Object.keys(contract.query!.shape);
    const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("", "-1", "0", "1e309", "NaN", "2026-13-45", "9".repeat(30), "%zz", "true", "[]"));
    const queries = fc.sample(fc.dictionary(fc.constantFrom(...keys), text, { maxKeys: keys.length }), { numRuns: 40, seed: 2_000 + seed });
    for (const q of queries) {
      const search = Object.entries(q).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
      const { status, body } = await call(handler!, { path: `${path}?${search}`, params, method: contract.method.toUpperCase(), token });
      expectReadable(status, body, `${contract.method.toUpperCase()} ${path}?${search}`);
    }
  }, 60_000);
});
