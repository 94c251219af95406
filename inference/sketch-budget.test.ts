import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { SketchBudget } from "./sketch-budget";
import type { SketchRange } from "./worker-protocol";

const range = (rows: number, endpointId = "e1", version = 1, start = 0): SketchRange => ({ endpointId, version, start, rows });

/** A budget on a clock the test moves (milliseconds). */
function budgetAt(valuesPerSecond: number) {
  const clock = { now: 0 };
  return { budget: new SketchBudget(valuesPerSecond, () => clock.now), clock };
}

describe("SketchBudget", () => {
  it("takes every range without a limit, and none at 0 (counting their rows)", () => {
    const all = new SketchBudget(Infinity);
    const ranges = [range(64), range(3, "e2"), range(1_000_000)];
    expect(all.admit(ranges, 1_000)).toEqual(ranges);
    expect(all.skippedRows).toBe(0);
    const none = new SketchBudget(0);
    expect(none.admit(ranges, 1)).toEqual([]);
    expect(none.skippedRows).toBe(64 + 3 + 1_000_000);
  });

  it("takes a range while the bucket is above zero, lets the range take it below, and refills it with time", () => {
    const { budget, clock } = budgetAt(1_000);
    // 10 values a row: the bucket starts with one second's budget, 1,000 values.
    expect(budget.admit([range(50)], 10)).toHaveLength(1); // 500 left
    expect(budget.admit([range(80)], 10)).toHaveLength(1); // −300: taken whole, its size does not matter
    expect(budget.admit([range(1)], 10)).toHaveLength(0);
    clock.now = 300; // +300: back to exactly 0, still not above it
    expect(budget.admit([range(1)], 10)).toHaveLength(0);
    clock.now = 301;
    expect(budget.admit([range(1)], 10)).toHaveLength(1);
    expect(budget.skippedRows).toBe(2);
    // A long pause refills one second's budget, no more.
    clock.now = 60_000;
    expect(budget.admit([range(100)], 10)).toHaveLength(1); // 1,000 → 0
    expect(budget.admit([range(1)], 10)).toHaveLength(0);
  });

  it("keeps one bucket per endpoint and version, and returns the ranges it takes in order", () => {
    const { budget } = budgetAt(100);
    const ranges = [range(20, "e1", 1, 0), range(20, "e1", 2, 20), range(20, "e2", 1, 40), range(5, "e1", 1, 60), range(5, "e2", 2, 65)];
    // e1@1 is spent by its first range (100 − 200 < 0); every other pair still has its own budget.
    expect(budget.admit(ranges, 10)).toEqual([ranges[0], ranges[1], ranges[2], ranges[4]]);
    expect(budget.skippedRows).toBe(5);
  });

  it("over time sketches about the budget whatever the sizes of the requests, and small and large ones alike", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 2_000, maxLength: 2_000 }), fc.integer({ min: 1, max: 3 }), (sizes, msBetween) => {
        const perSecond = 3_200; // 100 rows of 32 values
        const { budget, clock } = budgetAt(perSecond);
        let taken = 0;
        let offered = 0;
        const takenBySize = { small: 0, large: 0 };
        const offeredBySize = { small: 0, large: 0 };
        for (const rows of sizes) {
          clock.now += msBetween;
          const size = rows <= 32 ? "small" : "large";
          offered += rows;
          offeredBySize[size]++;
          if (budget.admit([range(rows)], 32).length === 1) {
            taken += rows;
            takenBySize[size]++;
          }
        }
        const seconds = clock.now / 1000;
        // Within one second's burst and one request (the one that took the bucket below zero) of the budget.
        expect(taken * 32).toBeLessThanOrEqual(perSecond * (seconds + 1) + 64 * 32);
        expect(taken * 32).toBeGreaterThanOrEqual(perSecond * seconds - 64 * 32);
        expect(taken + budget.skippedRows).toBe(offered);
        // Which request is taken depends on when it came, not on its size.
        const share = (s: "small" | "large") => takenBySize[s] / Math.max(1, offeredBySize[s]);
        expect(Math.abs(share("small") - share("large"))).toBeLessThan(0.15);
      }),
      { numRuns: 30 },
    );
  });
});
