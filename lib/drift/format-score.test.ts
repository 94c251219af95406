import { describe, expect, it } from "vitest";
import { formatScore } from "./format-score";

describe("formatScore", () => {
  it("keeps three significant digits", () => {
    expect(formatScore(0.168333333)).toBe("0.168");
    expect(formatScore(12.3456)).toBe("12.3");
    expect(formatScore(0.05)).toBe("0.05");
  });
  it("writes tiny p-values and huge scores with an exponent", () => {
    expect(formatScore(0.00000129)).toBe("1.29e-6");
    expect(formatScore(0.000372911)).toBe("3.73e-4");
    expect(formatScore(123456)).toBe("1.23e+5");
  });
  it("has a dash for no value and a plain zero", () => {
    expect(formatScore(null)).toBe("—");
    expect(formatScore(undefined)).toBe("—");
    expect(formatScore(Number.NaN)).toBe("—");
    expect(formatScore(0)).toBe("0");
  });
});
