import { describe, expect, it } from "vitest";
import { summarizeEndpointStatus } from "./prepare-endpoint-status";

const s = (version: number, state: string, instanceId = "a") => ({ version, state, instanceId });

describe("summarizeEndpointStatus", () => {
  it("reads the worst of what instances report", () => {
    expect(summarizeEndpointStatus([])).toBe("not_serving");
    expect(summarizeEndpointStatus([s(1, "ready"), s(2, "ready", "b")])).toBe("ready");
    expect(summarizeEndpointStatus([s(1, "ready"), s(2, "failed")])).toBe("degraded");
    expect(summarizeEndpointStatus([s(1, "failed"), s(1, "failed", "b")])).toBe("failed");
    expect(summarizeEndpointStatus([s(1, "ready"), s(2, "warming")])).toBe("loading");
    expect(summarizeEndpointStatus([s(1, "ready"), s(2, "draining")])).toBe("ready");
    expect(summarizeEndpointStatus([s(2, "draining")])).toBe("not_serving");
  });
});
