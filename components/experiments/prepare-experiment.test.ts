import { describe, expect, it } from "vitest";
import { describeTest, prepareOutputBars } from "./prepare-experiment";
import { msprt } from "@/lib/experiments/msprt";

describe("prepareOutputBars", () => {
  it("keeps the top classes in label order and folds the rest into 'other'", () => {
    const counts = [{ label: "2", count: 10 }, { label: "0", count: 50 }, { label: "1", count: 40 }];
    expect(prepareOutputBars(counts, 2)).toEqual([
      { label: "0", count: 50, share: 0.5 },
      { label: "1", count: 40, share: 0.4 },
      { label: "other", count: 10, share: 0.1 },
    ]);
    expect(prepareOutputBars([])).toEqual([]);
    expect(prepareOutputBars([{ label: "0", count: 0 }])).toEqual([]);
  });
});

describe("describeTest", () => {
  it("names the winner and the numbers", () => {
    const r = msprt([{ a: { n: 5000, x: 500 }, b: { n: 5000, x: 100 } }], { better: "lower" });
    const d = describeTest({ ...r, metric: "error_rate", armA: { version: 1, label: "stable (v1)" }, armB: { version: 2, label: "candidate (v2)" } });
    expect(d).toMatchObject({ tone: "green", headline: "B is better: candidate (v2)" });
    expect(d!.detail).toContain("error rate: B − A = -8.00 pp");
    expect(describeTest(null)).toBeNull();
  });
});
