import { describe, expect, it } from "vitest";
import { switchProgress } from "./endpoint-switch";

type State = { instanceId: string; state: string; generation: number; stale?: boolean; message?: string };
const variant = (name: string, share: number, resolvedVersion: number | null, states: State[], alias?: string) => ({
  name,
  weight: share * 100,
  share,
  resolvedVersion,
  ...(alias ? { alias } : {}),
  states: states.map((s) => ({ message: null, updatedAt: "", stale: false, ...s })),
});

describe("switchProgress", () => {
  it("is switched when every variant taking traffic is ready at the endpoint's generation on every live data plane", () => {
    const e = {
      generation: 4,
      variants: [
        variant("a", 0.8, 2, [{ instanceId: "p1", state: "ready", generation: 4 }, { instanceId: "p2", state: "ready", generation: 4 }, { instanceId: "old", state: "loading", generation: 1, stale: true }]),
        variant("b", 0.2, 3, [{ instanceId: "p1", state: "ready", generation: 4 }, { instanceId: "p2", state: "ready", generation: 5 }]),
        variant("off", 0, 1, []),
      ],
    };
    expect(switchProgress(e)).toEqual({ state: "switched", instances: 2 });
  });

  it("waits, saying for what, while a data plane still routes with an older generation or is loading", () => {
    expect(switchProgress({ generation: 4, variants: [variant("a", 1, 2, [{ instanceId: "p1", state: "ready", generation: 3 }, { instanceId: "p2", state: "ready", generation: 4 }])] })).toEqual({
      state: "waiting",
      why: "variant 'a' (v2) ready at generation 4 on 1 of 2 data planes",
    });
    expect(switchProgress({ generation: 1, variants: [variant("a", 1, 2, [{ instanceId: "p1", state: "warming", generation: 1 }])] }).state).toBe("waiting");
    expect(switchProgress({ generation: 1, variants: [variant("a", 1, 2, [])] })).toEqual({ state: "waiting", why: "no data plane has reported variant 'a' (v2) yet" });
    expect(switchProgress({ generation: 1, variants: [variant("a", 0, 2, [])] })).toEqual({ state: "waiting", why: "no variant takes traffic" });
  });

  it("fails at once on a version that failed to load or an alias that does not exist", () => {
    expect(switchProgress({ generation: 2, variants: [variant("a", 1, 2, [{ instanceId: "p1", state: "failed", generation: 1, message: "sha256 mismatch" }])] })).toEqual({
      state: "failed",
      why: "variant 'a' (v2) failed to load on p1: sha256 mismatch",
    });
    expect(switchProgress({ generation: 2, variants: [variant("a", 1, null, [], "production")] })).toEqual({
      state: "failed",
      why: "variant 'a' names alias 'production', which does not exist",
    });
  });
});
