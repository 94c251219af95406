/**
 * The review workflow as a pure table: open → acknowledged → resolved, mute for a period from any unresolved state,
 * unmute back to where it was (acknowledged when it had been acknowledged, else open). Invalid moves carry the
 * reason the API answers with a 409.
 */
export type AlertStatus = "open" | "acknowledged" | "resolved" | "muted";
export const REVIEW_ACTIONS = ["acknowledge", "resolve", "mute", "unmute"] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

export type Transition = { ok: true; status: AlertStatus } | { ok: false; reason: string };

/** The status an unmuted (or mute-expired) alert returns to: there is no prior-status column, acknowledgedAt tells it. */
export function statusAfterMute(acknowledgedAt: Date | string | null | undefined): AlertStatus {
  return acknowledgedAt ? "acknowledged" : "open";
}

export function transitionAlert(
  current: { status: AlertStatus; acknowledgedAt?: Date | string | null },
  action: ReviewAction,
): Transition {
  const s = current.status;
  if (s === "resolved") {
    return { ok: false, reason: action === "resolve" ? "the alert is already resolved" : `a resolved alert cannot be ${past(action)}` };
  }
  switch (action) {
    case "acknowledge":
      if (s === "acknowledged") return { ok: false, reason: "the alert is already acknowledged" };
      return { ok: true, status: "acknowledged" };
    case "resolve":
      return { ok: true, status: "resolved" };
    case "mute":
      // Muting a muted alert sets a new end time.
      return { ok: true, status: "muted" };
    case "unmute":
      if (s !== "muted") return { ok: false, reason: "the alert is not muted" };
      return { ok: true, status: statusAfterMute(current.acknowledgedAt) };
  }
}

/** "acknowledged", "resolved", "muted", "unmuted". */
export function past(action: ReviewAction): string {
  return { acknowledge: "acknowledged", resolve: "resolved", mute: "muted", unmute: "unmuted" }[action];
}
