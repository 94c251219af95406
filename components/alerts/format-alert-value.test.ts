import { describe, it, expect } from "vitest";
import { formatAlertValue } from "./format-alert-value";

describe("formatAlertValue", () => {
  it("formats by signal", () => {
    expect(formatAlertValue("error_rate", 0.153)).toBe("15.3 %");
    expect(formatAlertValue("error_rate", 0.02)).toBe("2.00 %");
    expect(formatAlertValue("latency", 412.4)).toBe("412 ms");
    expect(formatAlertValue("drift", 0.31234)).toBe("0.312");
    expect(formatAlertValue("drift", null)).toBe("—");
    // A drifted feature's p-value reads as the drift page and the alert's message write it, not as "0.00000129".
    expect(formatAlertValue("drift", 0.00000129)).toBe("1.29e-6");
  });
});
