import fs from "node:fs";
import path from "node:path";
import { describe, it, expect } from "vitest";
import { z } from "zod";
import { allContracts } from "./all-contracts";
import { buildOpenApiDocument } from "./build-openapi-document";
import { defineContracts } from "./contract";

// The document is plain JSON; tests walk it without restating its types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

function routeSchemaFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return routeSchemaFiles(p);
    return e.name === "route.schema.ts" ? [p] : [];
  });
}

describe("buildOpenApiDocument", () => {
  it("documents every contract of every route, with JSON schemas", () => {
    const doc = buildOpenApiDocument(allContracts);
    expect(doc.openapi).toBe("3.1.0");
    for (const c of allContracts) {
      const op = doc.paths[c.path]?.[c.method] as { responses: Record<string, unknown>; security: unknown[] } | undefined;
      expect(op, `${c.method} ${c.path}`).toBeDefined();
      expect(Object.keys(op!.responses).length).toBeGreaterThan(0);
      expect(op!.security.length).toBe(c.role === "public" ? 0 : 2);
    }
    for (const p of ["/api/tokens", "/api/tokens/{id}", "/api/users", "/api/users/{id}", "/api/audit", "/api/health", "/api/openapi.json"]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    JSON.stringify(doc); // must serialise
  });

  it("turns params, query, JSON and multipart bodies into OpenAPI", () => {
    const doc = buildOpenApiDocument(defineContracts([
      {
        method: "post", path: "/api/things/{id}", summary: "s", tags: ["t"], role: "operator",
        params: z.object({ id: z.string() }),
        query: z.object({ dry: z.coerce.boolean().optional().describe("dry run"), n: z.coerce.number() }),
        body: z.object({ name: z.string().min(1) }),
        responses: { 201: z.object({ at: z.iso.datetime() }), 204: null },
      },
      {
        method: "put", path: "/api/things/{id}", summary: "u", tags: ["t"], role: "admin",
        body: { multipart: { file: { type: "file", required: true }, note: { type: "string" } } },
        responses: { 200: null },
      },
    ]));
    const post = doc.paths["/api/things/{id}"].post as Loose;
    expect(post.parameters).toEqual([
      { name: "id", in: "path", required: true, schema: { type: "string" } },
      { name: "dry", in: "query", required: false, description: "dry run", schema: { type: "boolean" } },
      { name: "n", in: "query", required: true, schema: { type: "number" } },
    ]);
    expect(post.requestBody.content["application/json"].schema.required).toEqual(["name"]);
    expect(post.responses[201].content["application/json"].schema.properties.at.format).toBe("date-time");
    expect(post.responses[204]).toEqual({ description: "No content" });
    expect(post.responses[401]).toBeDefined();
    const put = doc.paths["/api/things/{id}"].put as Loose;
    expect(put.requestBody.content["multipart/form-data"].schema).toEqual({
      type: "object",
      properties: { file: { type: "string", format: "binary" }, note: { type: "string" } },
      required: ["file"],
    });
  });

  it("refuses two contracts for the same method and path", () => {
    const c = { method: "get" as const, path: "/api/x", summary: "x", tags: [], role: "public" as const, responses: { 200: null } };
    expect(() => buildOpenApiDocument([c, c])).toThrow(/two contracts/);
  });
});

describe("allContracts", () => {
  it("imports every app/api/**/route.schema.ts", () => {
    const root = path.resolve(__dirname, "../..");
    const listed = fs.readFileSync(path.join(__dirname, "all-contracts.ts"), "utf8");
    const missing = routeSchemaFiles(path.join(root, "app/api"))
      .map((f) => "@/" + path.relative(root, f).replace(/\\/g, "/").replace(/\.ts$/, ""))
      .filter((spec) => !listed.includes(`"${spec}"`));
    expect(missing, "add these to lib/openapi/all-contracts.ts").toEqual([]);
  });
});
