import { describe, expect, it } from "vitest";
import { prunePlan } from "./prune-plan";

const v = (version: number, status = "ready", aliases: string[] = []) => ({ version, status, aliases });

describe("prunePlan", () => {
  it("takes what is older than the newest N, oldest first, except aliased and validating versions", () => {
    const plan = prunePlan([v(5), v(1, "archived"), v(3, "ready", ["production"]), v(2, "failed"), v(4, "validating"), v(6)], 2);
    expect(plan.candidates.map((x) => x.version)).toEqual([1, 2]);
    expect(plan.kept).toEqual([
      { version: 3, reason: "alias 'production' names it" },
      { version: 4, reason: "still validating" },
    ]);
  });

  it("keeps everything when N covers every version, and counts gaps left by deleted versions as nothing", () => {
    expect(prunePlan([v(1), v(4)], 2)).toEqual({ candidates: [], kept: [] });
    expect(prunePlan([v(1), v(4), v(9)], 0).candidates.map((x) => x.version)).toEqual([1, 4, 9]);
  });
});
