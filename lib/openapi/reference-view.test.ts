import { describe, expect, it } from "vitest";
import { z } from "zod";
import { allContracts } from "./all-contracts";
import { buildOpenApiDocument } from "./build-openapi-document";
import { defineContracts } from "./contract";
import { curlFor, fieldRows, referenceView, typeOf } from "./reference-view";

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" });

describe("referenceView", () => {
  it("lists every contract once, under its first tag, with its role", () => {
    const groups = referenceView(buildOpenApiDocument(allContracts));
    const ops = groups.flatMap((g) => g.operations.map((o) => ({ ...o, tag: g.tag })));
    expect(ops.length).toBe(allContracts.length);
    for (const c of allContracts) {
      const op = ops.find((o) => o.method === c.method.toUpperCase() && o.path === c.path);
      expect(op, `${c.method} ${c.path}`).toBeDefined();
      expect(op!.tag).toBe(c.tags[0]);
      expect(op!.role).toBe(c.role);
      expect(op!.summary).toBe(c.summary);
    }
    expect(new Set(ops.map((o) => o.anchor)).size).toBe(ops.length);
  });

  it("flattens a body into dotted rows with types, required marks and descriptions", () => {
    const body = z.object({
      model: z.string().describe("the model's name"),
      variants: z.array(z.object({ name: z.string(), weight: z.number().min(0).max(100), version: z.int().min(1).optional() })).max(10),
      sticky: z.object({ header: z.string().max(100) }).optional(),
      status: z.enum(["ok", "error"]).nullable().optional(),
    });
    const doc = buildOpenApiDocument(
      defineContracts([{ method: "put", path: "/api/things/{name}", summary: "Put a thing", tags: ["things"], role: "operator", params: z.object({ name: z.string() }), body, responses: { 200: z.object({ ok: z.boolean() }), 404: null } }]),
    );
    const [group] = referenceView(doc);
    expect(group.tag).toBe("things");
    const [op] = group.operations;
    expect(op).toMatchObject({ anchor: "put-api-things-name", method: "PUT", path: "/api/things/{name}", role: "operator" });
    expect(op.parameters).toEqual([{ name: "name", in: "path", required: true, type: "string", description: undefined }]);
    expect(op.body!.contentType).toBe("application/json");
    expect(op.body!.fields.map((f) => [f.path, f.type, f.required, f.depth])).toEqual([
      ["model", "string", true, 0],
      ["variants", "array of objects (≤ 10)", true, 0],
      ["variants[].name", "string", true, 1],
      ["variants[].weight", "number 0 … 100", true, 1],
      ["variants[].version", "integer ≥ 1", false, 1],
      ["sticky", "object", false, 0],
      ["sticky.header", "string, ≤ 100 characters", true, 1],
      ["status", '"ok" | "error" | null', false, 0],
    ]);
    expect(op.body!.fields[0].description).toBe("the model's name");
    expect(op.responses.map((r) => [r.status, r.fields.map((f) => f.path)])).toEqual([
      ["200", ["ok"]],
      ["400", ["error"]],
      ["401", ["error"]],
      ["403", ["error"]],
      ["404", []],
    ]);
  });
});

describe("typeOf", () => {
  it("reads the schema shapes zod writes", () => {
    expect(typeOf(jsonSchema(z.int()))).toBe("integer");
    expect(typeOf(jsonSchema(z.number().gt(0).max(5)))).toBe("number 0 … 5");
    expect(typeOf(jsonSchema(z.number().gt(0)))).toBe("number > 0");
    expect(typeOf(jsonSchema(z.string().nullable()))).toBe("string | null");
    expect(typeOf(jsonSchema(z.iso.datetime()))).toBe("string (date-time)");
    expect(typeOf(jsonSchema(z.array(z.union([z.number(), z.string()]))))).toBe("array of (number | string)");
    expect(typeOf(jsonSchema(z.literal(true)))).toBe("true");
    expect(typeOf(jsonSchema(z.record(z.string(), z.number())))).toBe("object (any keys)");
    expect(typeOf({ type: "string", format: "binary" })).toBe("file");
    expect(typeOf(undefined)).toBe("any");
  });

  it("gives no rows for a schema without named fields, and stops at a depth and a row cap", () => {
    expect(fieldRows(jsonSchema(z.array(z.string())))).toEqual([]);
    expect(fieldRows(jsonSchema(z.array(z.object({ id: z.string() })))).map((r) => r.path)).toEqual(["[].id"]);
    const nested = { type: "object", properties: { a: { type: "object", properties: { a: { type: "object", properties: { a: { type: "object", properties: { a: { type: "object", properties: { b: { type: "string" } } } } } } } } } } };
    expect(fieldRows(nested).map((r) => r.path)).toEqual(["a", "a.a", "a.a.a", "a.a.a.a"]);
    const wide = { type: "object", properties: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`f${i}`, { type: "string" }])) };
    expect(fieldRows(wide).length).toBe(120);
  });
});

describe("curlFor", () => {
  const ops = referenceView(buildOpenApiDocument(allContracts)).flatMap((g) => g.operations);
  const op = (method: string, path: string) => ops.find((o) => o.method === method && o.path === path)!;

  it("writes a command per kind of operation: a read, a JSON body, an upload, a public route", () => {
    expect(curlFor(op("GET", "/api/models"), "http://127.0.0.1:3000/")).toBe(`curl 'http://127.0.0.1:3000/api/models' \\\n  -H "Authorization: Bearer $FERRY_TOKEN"`);
    expect(curlFor(op("PUT", "/api/endpoints/{name}"), "https://ferry.example")).toBe(
      `curl -X PUT 'https://ferry.example/api/endpoints/{name}' \\\n  -H "Authorization: Bearer $FERRY_TOKEN" \\\n  -H 'content-type: application/json' -d @body.json`,
    );
    const upload = curlFor(op("POST", "/api/models/{name}/versions"), "http://x");
    expect(upload).toContain("-F 'file=@model.onnx'");
    expect(upload).toContain("-F 'reference=@reference.csv'");
    expect(curlFor(op("GET", "/api/health"), "http://x")).toBe("curl 'http://x/api/health'");
  });
});
