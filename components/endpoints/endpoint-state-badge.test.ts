import { describe, expect, it } from "vitest";
import type { InstanceState } from "@/lib/endpoints/api-schemas";
import { generationLag } from "./endpoint-state-badge";

const state = (generation: number, stale = false): InstanceState => ({
  instanceId: "vm:1:a",
  state: "loading",
  message: null,
  generation,
  updatedAt: "2026-11-27T10:00:00.000Z",
  stale,
});

describe("generationLag", () => {
  it("says which generation an instance still routes with while the endpoint has moved on", () => {
    expect(generationLag(state(4), 5)?.label).toBe("still on gen 4");
    expect(generationLag(state(4), 5)?.title).toContain("switches to generation 5 once every version");
  });

  it("says nothing for an instance at the current generation, or a stale one", () => {
    expect(generationLag(state(5), 5)).toBeNull();
    expect(generationLag(state(4, true), 5)).toBeNull();
  });
});
