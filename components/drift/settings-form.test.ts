import { describe, expect, it } from "vitest";
import { alertBodyFrom, alertFormFrom, driftBodyFrom, driftFormFrom } from "./settings-form";

describe("drift settings form", () => {
  it("round-trips what was stored and keeps the keys it does not show", () => {
    const stored = {
      features: { b: { method: "psi", threshold: 0.25 } },
      driftShare: 0.3,
      schedule: { everyMinutes: 15 },
      reference: { from: "2025-01-01T00:00:00Z", to: "2025-01-02T06:30:00Z" },
      alerts: { minRows: 50 },
    };
    const form = driftFormFrom(stored);
    expect(form).toMatchObject({ driftSharePct: "30", everyMinutes: "15", windowMinutes: "", scheduleEnabled: true, features: { b: { method: "psi", threshold: "0.25" } } });
    expect(form).toMatchObject({ referenceFrom: "2025-01-01T00:00", referenceTo: "2025-01-02T06:30" });
    expect(driftBodyFrom(form, stored)).toEqual(stored);
  });

  it("leaves empty fields out, sends a disabled schedule, and drops a feature override that was cleared", () => {
    const form = driftFormFrom(null);
    form.scheduleEnabled = false;
    form.windowMinutes = "120";
    form.features = { a: { method: "", threshold: "" }, b: { method: "ks", threshold: "" } };
    expect(driftBodyFrom(form, null)).toEqual({ features: { b: { method: "ks" } }, schedule: { enabled: false, windowMinutes: 120 } });
  });

  it("sets and clears a reference window of production traffic, in UTC", () => {
    const form = driftFormFrom(null);
    form.referenceFrom = "2025-03-01T08:00";
    form.referenceTo = "2025-03-02T08:00";
    const body = driftBodyFrom(form, null);
    expect(body).toEqual({ reference: { from: "2025-03-01T08:00:00Z", to: "2025-03-02T08:00:00Z" } });
    const cleared = driftFormFrom(body);
    cleared.referenceFrom = "";
    cleared.referenceTo = "";
    expect(driftBodyFrom(cleared, body)).toEqual({});
  });

  it("keeps a value that is not a number so the server can name the field", () => {
    const form = driftFormFrom(null);
    form.everyMinutes = "soon";
    expect(Number.isNaN((driftBodyFrom(form, null).schedule as { everyMinutes: number }).everyMinutes)).toBe(true);
  });
});

describe("alert settings form", () => {
  it("converts percentages and round-trips", () => {
    const stored = { errorRate: { warn: 0.05, critical: 0.2 }, latencyP95Ms: { warn: 100, critical: 400 }, quietMinutes: 30, enabled: false };
    const form = alertFormFrom(stored);
    expect(form).toMatchObject({ errorWarnPct: "5", errorCriticalPct: "20", latencyWarnMs: "100", enabled: false });
    expect(alertBodyFrom(form)).toEqual(stored);
  });

  it("sends nothing for an untouched form and a half band as typed", () => {
    expect(alertBodyFrom(alertFormFrom(null))).toEqual({});
    const form = alertFormFrom(null);
    form.latencyWarnMs = "300";
    expect(alertBodyFrom(form)).toEqual({ latencyP95Ms: { warn: 300 } });
  });
});
