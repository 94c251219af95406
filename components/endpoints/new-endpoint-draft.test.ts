import { describe, expect, it } from "vitest";
import { parseEndpointConfig } from "@/lib/routing/endpoint-config.schema";
import { canCreate, defaultTarget, newEndpointConfig, newEndpointProblems, type ServableModel } from "./new-endpoint-draft";

const fraud: ServableModel = {
  name: "fraud",
  versions: [
    { version: 3, status: "validating" },
    { version: 2, status: "ready" },
    { version: 1, status: "ready" },
  ],
  aliases: [
    { name: "staging", version: 2 },
    { name: "production", version: 1 },
  ],
};
const fresh: ServableModel = { name: "fresh", versions: [{ version: 1, status: "failed" }], aliases: [] };
const models = [fraud, fresh];
const draft = { name: "fraud-api", model: "fraud", target: "a:production", description: "" };

describe("defaultTarget", () => {
  it("prefers the production alias, then any alias on a ready version, then the newest ready version", () => {
    expect(defaultTarget(fraud)).toBe("a:production");
    expect(defaultTarget({ ...fraud, aliases: [{ name: "staging", version: 2 }] })).toBe("a:staging");
    expect(defaultTarget({ ...fraud, aliases: [{ name: "next", version: 3 }] })).toBe("v:2");
    expect(defaultTarget({ ...fraud, aliases: [] })).toBe("v:2");
  });
  it("is empty when nothing can take traffic", () => {
    expect(defaultTarget(fresh)).toBe("");
    expect(defaultTarget(undefined)).toBe("");
  });
});

describe("newEndpointConfig", () => {
  it("routes all traffic to the chosen alias or version, and passes the routing schema", () => {
    expect(parseEndpointConfig(newEndpointConfig(draft))).toEqual({ model: "fraud", variants: [{ name: "primary", alias: "production", weight: 100 }] });
    expect(newEndpointConfig({ ...draft, target: "v:2", description: "  scores card payments " })).toEqual({
      model: "fraud",
      description: "scores card payments",
      variants: [{ name: "primary", version: 2, weight: 100 }],
    });
  });
});

describe("newEndpointProblems", () => {
  it("has none for a complete form", () => {
    expect(newEndpointProblems(draft, models, ["demo"])).toEqual({});
    expect(canCreate(draft, {})).toBe(true);
  });
  it("names each field's problem", () => {
    expect(newEndpointProblems({ ...draft, name: "Fraud" }, models, []).name).toMatch(/uppercase letters; use lowercase \('fraud'\)/);
    expect(newEndpointProblems({ ...draft, name: "demo" }, models, ["demo"]).name).toMatch(/an endpoint named 'demo' already exists/);
    expect(newEndpointProblems({ ...draft, name: "new" }, models, []).name).toMatch(/'new' is reserved/);
    expect(newEndpointProblems({ ...draft, name: "stats" }, models, []).name).toMatch(/'stats' is reserved: \/v2\/models\/stats is the data plane's statistics/);
    expect(newEndpointProblems({ ...draft, model: "nope" }, models, []).model).toBe("model 'nope' does not exist");
    expect(newEndpointProblems({ ...draft, model: "fresh", target: "" }, models, []).model).toMatch(/no ready version yet/);
    expect(newEndpointProblems({ ...draft, target: "" }, models, []).target).toBe("choose the alias or version to serve");
    expect(newEndpointProblems({ ...draft, description: "x".repeat(2001) }, models, []).description).toMatch(/at most 2000 characters/);
  });
  it("does not complain about fields not typed yet, but cannot create until they are", () => {
    const empty = { name: "", model: "", target: "", description: "" };
    const problems = newEndpointProblems(empty, models, []);
    expect(problems).toEqual({});
    expect(canCreate(empty, problems)).toBe(false);
  });
});
