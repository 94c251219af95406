import { describe, it, expect } from "vitest";
import { transitionAlert } from "./alert-transitions";

describe("transitionAlert", () => {
  it("walks open → acknowledged → resolved", () => {
    expect(transitionAlert({ status: "open" }, "acknowledge")).toEqual({ ok: true, status: "acknowledged" });
    expect(transitionAlert({ status: "acknowledged" }, "resolve")).toEqual({ ok: true, status: "resolved" });
    expect(transitionAlert({ status: "open" }, "resolve")).toEqual({ ok: true, status: "resolved" });
  });

  it("refuses moves out of resolved and repeated acknowledges with a reason", () => {
    expect(transitionAlert({ status: "resolved" }, "resolve")).toEqual({ ok: false, reason: "the alert is already resolved" });
    expect(transitionAlert({ status: "resolved" }, "acknowledge")).toEqual({ ok: false, reason: "a resolved alert cannot be acknowledged" });
    expect(transitionAlert({ status: "resolved" }, "mute")).toMatchObject({ ok: false });
    expect(transitionAlert({ status: "acknowledged" }, "acknowledge")).toEqual({ ok: false, reason: "the alert is already acknowledged" });
  });

  it("unmutes back to the prior status", () => {
    expect(transitionAlert({ status: "muted", acknowledgedAt: null }, "unmute")).toEqual({ ok: true, status: "open" });
    expect(transitionAlert({ status: "muted", acknowledgedAt: new Date() }, "unmute")).toEqual({ ok: true, status: "acknowledged" });
    expect(transitionAlert({ status: "open" }, "unmute")).toEqual({ ok: false, reason: "the alert is not muted" });
    expect(transitionAlert({ status: "muted" }, "mute")).toEqual({ ok: true, status: "muted" });
  });
});
