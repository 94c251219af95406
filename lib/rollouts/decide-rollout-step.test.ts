import { describe, expect, it } from "vitest";
import { decideRolloutStep, type RolloutMetrics, type RolloutState } from "./decide-rollout-step";

const t0 = new Date("2026-01-01T00:00:00Z");
const at = (s: number) => new Date(t0.getTime() + s * 1000);

function state(over: Partial<RolloutState> = {}): RolloutState {
  return {
    status: "running",
    steps: [5, 25, 50, 100],
    currentStep: 0,
    bakeSeconds: 60,
    stepStartedAt: t0,
    guards: { maxErrorRateRatio: 2, maxP95LatencyRatio: 1.5, minRequests: 100 },
    ...over,
  };
}

function metrics(over: Partial<RolloutMetrics> = {}): RolloutMetrics {
  return {
    candidate: { requests: 200, errors: 0, p95Ms: 2 },
    stable: { requests: 2000, errors: 0, p95Ms: 2 },
    ...over,
  };
}

describe("decideRolloutStep", () => {
  it("waits while a healthy step bakes, then advances, and promotes after the last step", () => {
    expect(decideRolloutStep(state(), metrics(), at(30))).toMatchObject({ action: "wait", reason: expect.stringContaining("baking 30 s more") });
    expect(decideRolloutStep(state(), metrics(), at(60))).toMatchObject({ action: "advance", reason: expect.stringContaining("next 25 %") });
    expect(decideRolloutStep(state({ currentStep: 2 }), metrics(), at(61)).action).toBe("advance");
    expect(decideRolloutStep(state({ currentStep: 3 }), metrics(), at(61)).action).toBe("promote");
    expect(decideRolloutStep(state({ currentStep: 3 }), metrics(), at(59)).action).toBe("wait");
  });

  it("does nothing for a paused or finished rollout, even with a breach", () => {
    const bad = metrics({ candidate: { requests: 500, errors: 500, p95Ms: 2 } });
    for (const status of ["paused", "promoted", "rolled_back", "aborted"]) {
      expect(decideRolloutStep(state({ status }), bad, at(600))).toMatchObject({ action: "wait", reason: `the rollout is ${status}` });
    }
  });

  it("never advances without minRequests on the candidate, however long it baked", () => {
    const d = decideRolloutStep(state(), metrics({ candidate: { requests: 99, errors: 0, p95Ms: 2 } }), at(10_000));
    expect(d).toMatchObject({ action: "wait", reason: expect.stringContaining("99 of 100 requests") });
    const noTraffic = decideRolloutStep(state(), metrics({ candidate: { requests: 0, errors: 0, p95Ms: null } }), at(10_000));
    expect(noTraffic.action).toBe("wait");
  });

  it("advances on time alone when minRequests is 0", () => {
    const s = state({ guards: { maxErrorRateRatio: 2, maxP95LatencyRatio: 1.5, minRequests: 0 } });
    expect(decideRolloutStep(s, metrics({ candidate: { requests: 0, errors: 0, p95Ms: null } }), at(60)).action).toBe("advance");
  });

  it("rolls back at once (before the bake ends) when the error rate exceeds the ratio", () => {
    const m = metrics({ candidate: { requests: 200, errors: 40, p95Ms: 2 }, stable: { requests: 2000, errors: 100, p95Ms: 2 } });
    const d = decideRolloutStep(state(), m, at(1));
    expect(d.action).toBe("rollback");
    expect(d.breach).toEqual({ guard: "error_rate", value: 0.2, threshold: 0.1 });
    expect(d.reason).toContain("error rate: the candidate failed 20 % of 200 requests against 5 % on the stable variant");
  });

  it("tolerates an error rate up to the ratio", () => {
    const m = metrics({ candidate: { requests: 200, errors: 20, p95Ms: 2 }, stable: { requests: 2000, errors: 100, p95Ms: 2 } });
    expect(decideRolloutStep(state(), m, at(60)).action).toBe("advance");
  });

  it("has an absolute floor: 0 % vs 0.5 % does not trip, 0 % vs 1.5 % does", () => {
    const small = metrics({ candidate: { requests: 200, errors: 1, p95Ms: 2 } });
    expect(decideRolloutStep(state(), small, at(60)).action).toBe("advance");
    const big = metrics({ candidate: { requests: 200, errors: 3, p95Ms: 2 } });
    expect(decideRolloutStep(state(), big, at(60))).toMatchObject({ action: "rollback", breach: { guard: "error_rate", threshold: 0.01 } });
  });

  it("judges errors only after minRequests", () => {
    const m = metrics({ candidate: { requests: 50, errors: 50, p95Ms: 2 } });
    expect(decideRolloutStep(state(), m, at(1)).action).toBe("wait");
  });

  it("rolls back on p95 latency above the ratio, with a small absolute floor", () => {
    const slow = metrics({ candidate: { requests: 200, errors: 0, p95Ms: 40 }, stable: { requests: 2000, errors: 0, p95Ms: 20 } });
    expect(decideRolloutStep(state(), slow, at(1))).toMatchObject({ action: "rollback", breach: { guard: "p95_latency", value: 40, threshold: 30 } });
    const tiny = metrics({ candidate: { requests: 200, errors: 0, p95Ms: 3 }, stable: { requests: 2000, errors: 0, p95Ms: 0.5 } });
    expect(decideRolloutStep(state(), tiny, at(60)).action).toBe("advance");
  });

  it("skips the latency guard when the stable baseline has too few requests", () => {
    const m = metrics({ candidate: { requests: 200, errors: 0, p95Ms: 400 }, stable: { requests: 10, errors: 0, p95Ms: 2 } });
    expect(decideRolloutStep(state(), m, at(60)).action).toBe("advance");
  });

  it("rolls back on the drift share only when a limit is set", () => {
    expect(decideRolloutStep(state(), metrics({ driftShare: 0.5 }), at(60)).action).toBe("advance");
    const s = state({ guards: { maxErrorRateRatio: 2, maxP95LatencyRatio: 1.5, minRequests: 100, maxDriftShare: 0.3 } });
    expect(decideRolloutStep(s, metrics({ driftShare: 0.3 }), at(60)).action).toBe("advance");
    expect(decideRolloutStep(s, metrics({ driftShare: 0.5 }), at(1))).toMatchObject({ action: "rollback", breach: { guard: "drift", value: 0.5, threshold: 0.3 } });
    expect(decideRolloutStep(s, metrics({ driftShare: null }), at(60)).action).toBe("advance");
  });

  it("rolls back on shadow disagreement with enough comparisons", () => {
    const s = state({ guards: { maxErrorRateRatio: 2, maxP95LatencyRatio: 1.5, minRequests: 100, maxShadowDisagreement: 0.1 } });
    expect(decideRolloutStep(s, metrics({ shadow: { count: 200, agree: 150 } }), at(1))).toMatchObject({
      action: "rollback",
      breach: { guard: "shadow_disagreement", value: 0.25, threshold: 0.1 },
    });
    expect(decideRolloutStep(s, metrics({ shadow: { count: 50, agree: 0 } }), at(60)).action).toBe("advance");
    expect(decideRolloutStep(s, metrics({ shadow: { count: 200, agree: 190 } }), at(60)).action).toBe("advance");
  });
});
