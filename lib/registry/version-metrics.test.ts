import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { AppError } from "@/lib/errors";
import { compareMetrics, MAX_METRICS, metricsSummary, parseMetrics } from "./version-metrics";

const name = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_ .\-/]{0,40}[A-Za-z0-9_]$/);

describe("parseMetrics", () => {
  it("reads name=value lines and JSON objects alike", () => {
    fc.assert(
      fc.property(fc.dictionary(name, fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => v + 0), { maxKeys: 20 }), (metrics) => {
        const lines = Object.entries(metrics).map(([k, v]) => `${k}=${v}`).join("\n");
        expect(parseMetrics(lines)).toEqual(metrics);
        expect(parseMetrics(JSON.stringify(metrics))).toEqual(metrics);
        expect(parseMetrics(metrics)).toEqual(metrics);
      }),
    );
    expect(parseMetrics("auc: 0.93\r\n\r\n  val/loss = 1e-3 \n")).toEqual({ auc: 0.93, "val/loss": 0.001 });
    expect(Object.keys(parseMetrics('{"__proto__": 1}'))).toEqual(["__proto__"]);
  });

  it("refuses what is not a metric, saying which and why", () => {
    const refusal = (input: unknown) => {
      try {
        parseMetrics(input);
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        return (e as Error).message;
      }
      throw new Error("accepted");
    };
    expect(refusal("auc")).toBe("line 1 of the metrics is not name=value: 'auc'");
    expect(refusal("auc=high")).toBe("metric 'auc' must be a finite number");
    expect(refusal("auc=")).toBe("metric 'auc' must be a finite number");
    expect(refusal({ auc: Infinity })).toBe("metric 'auc' must be a finite number");
    expect(refusal({ auc: "0.9" })).toBe("metric 'auc' must be a finite number");
    expect(refusal("auc=1\nauc=2")).toBe("metric 'auc' is given twice");
    expect(refusal("a<b>=1")).toBe("metric name 'a<b>' may hold only letters, digits, underscores, dashes, periods, spaces and slashes");
    expect(refusal({ ["x".repeat(65)]: 1 })).toMatch(/^metric name 'x{65}…' is longer than 64 characters$/);
    expect(refusal("{auc")).toBe("metrics start with '{' but are not valid JSON; send a JSON object of numbers, or lines of name=value (e.g. auc=0.93)");
    expect(refusal([1])).toBe("metrics: send a JSON object of numbers, or lines of name=value (e.g. auc=0.93)");
    expect(refusal(Object.fromEntries(Array.from({ length: MAX_METRICS + 1 }, (_, i) => [`m${i}`, i])))).toBe(`${MAX_METRICS + 1} metrics; at most ${MAX_METRICS} are kept`);
  });
});

describe("comparing versions' metrics", () => {
  it("lists this version's metrics, then the other's, with signed differences at four significant digits", () => {
    expect(compareMetrics({ auc: 0.931, loss: 0.118, rows: 120 }, { auc: 0.912, loss: 0.142, f1: 0.8, rows: 120 })).toEqual([
      { name: "auc", mine: 0.931, theirs: 0.912, diff: "+0.019" },
      { name: "loss", mine: 0.118, theirs: 0.142, diff: "-0.024" },
      { name: "rows", mine: 120, theirs: 120, diff: undefined },
      { name: "f1", mine: undefined, theirs: 0.8, diff: undefined },
    ]);
    expect(compareMetrics({ auc: 1 })).toEqual([{ name: "auc", mine: 1, theirs: undefined, diff: undefined }]);
    expect(metricsSummary({ a: 1 / 3, b: 2, c: 3 }, 2)).toBe("a 0.333333 · b 2 · +1");
  });
});
