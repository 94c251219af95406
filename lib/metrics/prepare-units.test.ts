import { describe, expect, it } from "vitest";
import { chooseLatencyUnit, formatErrorRate, formatExact, formatLatency, formatRate, formatTick, toDisplayUnit } from "./prepare-units";

describe("units", () => {
  it("picks µs only when every latency is below a millisecond", () => {
    expect(chooseLatencyUnit([0.2, null, 0.9])).toBe("µs");
    expect(chooseLatencyUnit([0.2, 1.5])).toBe("ms");
    expect(chooseLatencyUnit([null])).toBe("ms");
    expect(toDisplayUnit(0.25, "µs")).toBe(250);
    expect(toDisplayUnit(0.025, "%")).toBe(2.5);
  });

  it("formats ticks compactly", () => {
    expect(formatTick(1500, "req/s")).toBe("1.5k req/s");
    expect(formatTick(12, "ms")).toBe("12 ms");
    expect(formatTick(0.5, "%")).toBe("0.5%");
    expect(formatTick(0, "ms")).toBe("0 ms");
  });

  it("formats tooltip values exactly, and a gap as no data rather than 0", () => {
    expect(formatExact(null, "ms")).toBe("no data");
    expect(formatExact(0, "req/s")).toBe("0.000 req/s");
    expect(formatExact(12.34567, "ms")).toBe("12.346 ms");
    expect(formatExact(1234.56, "ms")).toBe("1,234.6 ms");
    expect(formatExact(250.4, "µs")).toBe("250 µs");
    expect(formatExact(2.5, "%")).toBe("2.50 %");
    expect(formatExact(0.01234, "%")).toBe("0.012 %");
    expect(formatExact(12345.4, "count")).toBe("12,345");
  });

  it("formats stat cards", () => {
    expect(formatLatency(0.4)).toBe("400 µs");
    expect(formatLatency(12.34)).toBe("12.3 ms");
    expect(formatLatency(null)).toBe("—");
    expect(formatRate(0.05)).toBe("3.0 req/min");
    expect(formatRate(12.345)).toBe("12.3 req/s");
    expect(formatErrorRate(0.1234)).toBe("12.3 %");
    expect(formatErrorRate(0.0005)).toBe("0.050 %");
    expect(formatErrorRate(null)).toBe("—");
  });
});
