import { describe, it, expect } from "vitest";
import { maxSeverity, severityFor, thresholdFor } from "./evaluate-bands";

describe("severityFor", () => {
  const above = { warn: 0.02, critical: 0.1, direction: "above" as const };
  const below = { warn: 0.05, critical: 0.01, direction: "below" as const };

  it("is null inside the healthy range and for missing values", () => {
    expect(severityFor(0.01, above)).toBeNull();
    expect(severityFor(0, above)).toBeNull();
    expect(severityFor(null, above)).toBeNull();
    expect(severityFor(Number.NaN, above)).toBeNull();
    expect(severityFor(0.2, below)).toBeNull();
  });

  it("counts band edges as breaches", () => {
    expect(severityFor(0.02, above)).toBe("warn");
    expect(severityFor(0.1, above)).toBe("critical");
    expect(severityFor(0.05, below)).toBe("warn");
    expect(severityFor(0.01, below)).toBe("critical");
  });

  it("picks the worst band crossed", () => {
    expect(severityFor(0.05, above)).toBe("warn");
    expect(severityFor(0.5, above)).toBe("critical");
    expect(severityFor(0.03, below)).toBe("warn");
    expect(severityFor(1e-9, below)).toBe("critical");
  });

  it("names the crossed threshold and orders severities", () => {
    expect(thresholdFor("warn", above)).toBe(0.02);
    expect(thresholdFor("critical", above)).toBe(0.1);
    expect(maxSeverity("warn", "critical")).toBe("critical");
    expect(maxSeverity("critical", "warn")).toBe("critical");
    expect(maxSeverity("warn", "warn")).toBe("warn");
  });
});
