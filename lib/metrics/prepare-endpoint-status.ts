/**
 * One word for an endpoint's health from what every data-plane instance reports per version (EndpointState).
 * Pure: the fleet query and the endpoint pages use it.
 */

export type EndpointStatus = "ready" | "degraded" | "failed" | "loading" | "not_serving";

export const ENDPOINT_STATUS_LABELS: Record<EndpointStatus, string> = {
  ready: "Ready",
  degraded: "Degraded",
  failed: "Failed",
  loading: "Loading",
  not_serving: "Not serving",
};

export interface ReportedState {
  version: number;
  instanceId: string;
  /** loading | warming | ready | failed | draining */
  state: string;
}

/**
 * ready: every (instance, version) pair is ready; failed: all failed; degraded: some failed; loading: the rest are
 * still loading or warming. Draining versions are on their way out and don't count either way.
 */
export function summarizeEndpointStatus(states: readonly ReportedState[]): EndpointStatus {
  const live = states.filter((s) => s.state !== "draining");
  if (!live.length) return "not_serving";
  const failed = live.filter((s) => s.state === "failed").length;
  if (failed === live.length) return "failed";
  if (failed > 0) return "degraded";
  if (live.every((s) => s.state === "ready")) return "ready";
  return "loading";
}
