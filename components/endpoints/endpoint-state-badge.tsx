import { Badge, type Tone } from "@/components/ui/badge";
import type { InstanceState } from "@/lib/endpoints/api-schemas";

const TONE: Record<string, Tone> = { ready: "green", loading: "blue", warming: "blue", draining: "yellow", failed: "red" };

/** One data-plane instance's state for a version; stale instances (no report for a while) are greyed out. */
export function EndpointStateBadge({ state }: { state: InstanceState }) {
  const tone = state.stale ? "gray" : (TONE[state.state] ?? "gray");
  const title = [state.instanceId, state.message, state.stale ? "no report for over 90 s" : null].filter(Boolean).join(" — ");
  return (
    <Badge tone={tone} title={title}>
      {state.state}
      {state.stale ? " (stale)" : ""}
    </Badge>
  );
}

/** A summary of a version's states across instances: "2 ready", "1 failed"… or "not served". */
export function StateSummary({ states }: { states: InstanceState[] }) {
  const live = states.filter((s) => !s.stale);
  if (live.length === 0) return <Badge tone="gray" title="no data-plane instance reports this version">not served</Badge>;
  const counts = new Map<string, number>();
  for (const s of live) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
  return (
    <span className="inline-flex flex-wrap gap-1">
      {[...counts].map(([state, n]) => (
        <Badge key={state} tone={TONE[state] ?? "gray"} title={live.filter((s) => s.state === state).map((s) => `${s.instanceId}${s.message ? `: ${s.message}` : ""}`).join("\n")}>
          {live.length > 1 ? `${n} ` : ""}
          {state}
        </Badge>
      ))}
    </span>
  );
}

/**
 * When an instance still routes the endpoint with an older generation (its new versions are loading, or failed):
 * the few words that say so, else null. Stale instances say nothing — their badge already does.
 */
export function generationLag(state: InstanceState, endpointGeneration: number): { label: string; title: string } | null {
  if (state.stale || state.generation >= endpointGeneration) return null;
  return {
    label: `still on gen ${state.generation}`,
    title: `This instance routes with generation ${state.generation}; it switches to generation ${endpointGeneration} once every version that generation routes to is ready on it.`,
  };
}
