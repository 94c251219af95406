/**
 * Has every data plane switched to an endpoint's current config? A pipeline that promotes a version or changes the
 * routing waits for this (`ferry endpoint wait`) before it smoke-tests: a data plane keeps routing with the previous
 * config until the new one's versions are loaded and warm, and reports the generation it routes with. Pure.
 */
import type { EndpointDetail } from "./api-schemas";

export type SwitchProgress = { state: "switched"; instances: number } | { state: "waiting"; why: string } | { state: "failed"; why: string };

const label = (v: { name: string; resolvedVersion: number | null }) => `variant '${v.name}' (v${v.resolvedVersion})`;

/**
 * switched: every variant that takes traffic is ready at the endpoint's generation on every data plane reporting it
 * (stale instances, stopped or unreachable, are left out); failed: a version of it failed to load, or an alias it
 * names does not exist; waiting: anything else, with what is missing.
 */
export function switchProgress(e: Pick<EndpointDetail, "generation" | "variants">): SwitchProgress {
  const instances = new Set<string>();
  for (const v of e.variants) {
    if (v.share <= 0) continue;
    if (v.resolvedVersion === null) return { state: "failed", why: `variant '${v.name}' names alias '${v.alias}', which does not exist` };
    const live = v.states.filter((s) => !s.stale);
    const failed = live.find((s) => s.state === "failed");
    if (failed) return { state: "failed", why: `${label(v)} failed to load on ${failed.instanceId}: ${failed.message ?? "no reason given"}` };
    if (!live.length) return { state: "waiting", why: `no data plane has reported ${label(v)} yet` };
    const switched = live.filter((s) => s.state === "ready" && s.generation >= e.generation);
    if (switched.length < live.length) {
      return { state: "waiting", why: `${label(v)} ready at generation ${e.generation} on ${switched.length} of ${live.length} data planes` };
    }
    for (const s of live) instances.add(s.instanceId);
  }
  if (!instances.size) return { state: "waiting", why: "no variant takes traffic" };
  return { state: "switched", instances: instances.size };
}
