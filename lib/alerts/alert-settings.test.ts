import { describe, it, expect } from "vitest";
import { DEFAULT_ALERT_SETTINGS, resolveAlertSettings } from "./alert-settings";

describe("resolveAlertSettings", () => {
  it("uses the defaults without an override", () => {
    expect(resolveAlertSettings(undefined).settings).toEqual(DEFAULT_ALERT_SETTINGS);
    expect(DEFAULT_ALERT_SETTINGS.errorRate).toMatchObject({ warn: 0.02, critical: 0.1 });
    expect(DEFAULT_ALERT_SETTINGS.latencyP95Ms).toMatchObject({ warn: 250, critical: 1000 });
  });

  it("merges a partial override", () => {
    const { settings, error } = resolveAlertSettings({ latencyP95Ms: { warn: 50, critical: 100 }, minRequests: 5 });
    expect(error).toBeUndefined();
    expect(settings.latencyP95Ms).toEqual({ warn: 50, critical: 100, direction: "above" });
    expect(settings.errorRate).toEqual(DEFAULT_ALERT_SETTINGS.errorRate);
    expect(settings.minRequests).toBe(5);
  });

  it("ignores an invalid override and says why", () => {
    const r = resolveAlertSettings({ errorRate: { warn: "high" } });
    expect(r.settings).toEqual(DEFAULT_ALERT_SETTINGS);
    expect(r.error).toMatch(/errorRate/);
    expect(resolveAlertSettings({ unknownKey: 1 }).error).toBeTruthy();
  });
});
