import { describe, expect, it } from "vitest";
import { driftAlertMessage } from "./raise-drift-alerts";

describe("driftAlertMessage", () => {
  it("names the test, the side of the threshold that fires and the critical band, for p-values and distances", () => {
    expect(driftAlertMessage({ method: "ks", value: 0.00118, threshold: 0.05, currentRows: 245 }, "v1, w")).toBe(
      "KS p-value 0.00118, below 0.05 (critical below 0.005), over 245 rows of v1, w",
    );
    expect(driftAlertMessage({ method: "psi", value: 0.31, threshold: 0.1, currentRows: 80 }, "v2, w")).toBe(
      "PSI 0.31, at or above 0.1 (critical at or above 0.2), over 80 rows of v2, w",
    );
  });
});
