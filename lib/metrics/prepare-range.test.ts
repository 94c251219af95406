import { describe, expect, it } from "vitest";
import { alignDown, chooseStep, formatStep, prepareRange, refreshIntervalMs, validateRange } from "./prepare-range";

const now = new Date("2024-05-01T12:34:56Z");

describe("prepareRange", () => {
  it("maps presets to windows ending now with resolutions that keep ≤ 300 points", () => {
    const steps = Object.fromEntries((["15m", "1h", "24h", "7d", "30d"] as const).map((r) => [r, prepareRange({ range: r, now }).step / 60]));
    expect(steps).toEqual({ "15m": 1, "1h": 1, "24h": 5, "7d": 60, "30d": 240 });
    const r = prepareRange({ range: "24h", now });
    expect(r.to).toEqual(now);
    expect(now.getTime() - r.from.getTime()).toBe(86_400_000);
    for (const range of ["15m", "1h", "24h", "7d", "30d"] as const) {
      const x = prepareRange({ range, now });
      expect((x.to.getTime() - x.from.getTime()) / 1000 / x.step).toBeLessThanOrEqual(300);
    }
  });

  it("orders a custom range whichever end was typed first", () => {
    const a = new Date("2024-05-01T00:00:00Z");
    const b = new Date("2024-05-03T00:00:00Z");
    expect(prepareRange({ range: "custom", from: b, to: a, now })).toEqual({ from: a, to: b, step: 600 });
  });

  it("aligns bucket starts to the step", () => {
    expect(new Date(alignDown(now, 300)).toISOString()).toBe("2024-05-01T12:30:00.000Z");
    expect(new Date(alignDown(now, 14_400)).toISOString()).toBe("2024-05-01T12:00:00.000Z");
    expect(chooseStep(now, now)).toBe(60);
  });

  it("validates windows and explicit steps", () => {
    const from = new Date("2024-05-01T00:00:00Z");
    const to = new Date("2024-05-02T00:00:00Z");
    expect(validateRange(from, to)).toEqual({ step: 300 });
    expect(validateRange(from, to, 60)).toEqual({ step: 60 });
    expect(validateRange(to, from)).toHaveProperty("error");
    expect(validateRange(from, to, 90)).toHaveProperty("error");
    expect(validateRange(from, to, 30)).toHaveProperty("error");
    expect(validateRange(from, new Date(from.getTime() + 40 * 86_400_000))).toHaveProperty("error");
    expect(validateRange(from, new Date(from.getTime() + 30 * 86_400_000), 60)).toHaveProperty("error");
    expect(validateRange(new Date("nope"), to)).toHaveProperty("error");
  });

  it("refreshes short ranges live and names steps", () => {
    expect(refreshIntervalMs("15m")).toBe(10_000);
    expect(refreshIntervalMs("30d")).toBe(false);
    expect([60, 300, 3600, 14_400, 86_400].map(formatStep)).toEqual(["1 min", "5 min", "1 h", "4 h", "1 d"]);
  });
});
