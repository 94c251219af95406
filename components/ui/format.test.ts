import { describe, expect, it } from "vitest";
import { formatLatencies, formatMs } from "./format";

describe("formatLatencies", () => {
  it("writes a shared unit once", () => {
    expect(formatLatencies([1.52, 3.9, 9.49])).toBe("1.5 / 3.9 / 9.5 ms");
    expect(formatLatencies([0.2, 0.35, 0.9])).toBe("200 / 350 / 900 µs");
    expect(formatLatencies([150, 250, 999])).toBe("150 / 250 / 999 ms");
  });

  it("keeps each unit when they differ, and a dash for a missing value", () => {
    expect(formatLatencies([0.5, 2, 12])).toBe("500 µs / 2.0 ms / 12.0 ms");
    expect(formatLatencies([null, 2, 3])).toBe(`${formatMs(null)} / 2.0 ms / 3.0 ms`);
  });
});
