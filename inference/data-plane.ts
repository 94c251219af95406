/**
 * The data plane's serving state: which endpoint config is active, which versions are loaded, and the swap between
 * them. A new desired state loads every version it needs next to the ones serving; an endpoint switches to its
 * new config only when all of its versions are ready (a version that failed keeps the previous config serving);
 * versions nobody routes to any more drain and unload at zero in-flight.
 */
import type { Logger } from "pino";
import type { DesiredState, EndpointSpec } from "./desired-state";
import type { ReportedState } from "./report-endpoint-state";
import type { SessionManager, VersionRef } from "./session-manager";

export class ServingState {
  /** Endpoint name → the spec requests are routed with. */
  readonly active = new Map<string, EndpointSpec>();
  private desired = new Map<string, EndpointSpec>();
  private problems = new Map<string, string>();
  private loadedOnce = false;

  constructor(
    private readonly sessions: SessionManager,
    private readonly log: Logger,
  ) {}

  /** True once the first desired state is loaded and every endpoint in it has an active config. */
  get warm(): boolean {
    return this.loadedOnce && [...this.desired.keys()].every((name) => this.active.has(name));
  }

  async apply(state: DesiredState): Promise<void> {
    this.desired = state.endpoints;
    for (const [name, problem] of state.problems) {
      if (this.problems.get(name) !== problem) this.log.error({ endpoint: name, problem }, "endpoint config cannot be served; keeping what was serving");
    }
    this.problems = state.problems;
    await this.sessions.reconcile(this.wantedRefs());

    for (const [name, spec] of this.desired) {
      const current = this.active.get(name);
      const refs = routedRefs(spec);
      const failed = refs.filter((r) => this.sessions.get(r.id)?.state !== "ready");
      if (failed.length === 0 || !current) {
        if (current !== spec && (!current || current.generation !== spec.generation || !sameVersions(current, spec))) {
          this.log.info({ endpoint: name, generation: spec.generation }, "endpoint config active");
        }
        this.active.set(name, spec);
      } else {
        // Keep routing with the previous config; the failure is visible in the endpoint's state.
        this.active.set(name, { ...current, id: spec.id });
      }
    }
    // Endpoints deleted from the database stop being served (a config that became invalid keeps its last good one).
    for (const name of [...this.active.keys()]) {
      if (!this.desired.has(name) && !this.problems.has(name)) this.active.delete(name);
    }
    this.loadedOnce = true;
    await this.sessions.reconcile(this.wantedRefs());
  }

  /** Versions to keep loaded: everything active (still serving) plus everything desired (about to serve). */
  private wantedRefs(): VersionRef[] {
    const refs = new Map<string, VersionRef>();
    for (const spec of [...this.active.values(), ...this.desired.values()]) for (const r of spec.versions.values()) refs.set(r.id, r);
    return [...refs.values()];
  }

  /** For EndpointState: per endpoint, each version this instance knows of and what it is doing with it. */
  report(): ReportedState[] {
    const rows = new Map<string, ReportedState>();
    for (const spec of [...this.active.values(), ...this.desired.values()]) {
      for (const ref of spec.versions.values()) {
        const v = this.sessions.get(ref.id);
        const activeSpec = this.active.get(spec.name);
        const serving = activeSpec ? [...activeSpec.versions.values()].some((r) => r.id === ref.id) : false;
        const desired = [...(this.desired.get(spec.name)?.versions.values() ?? [])].some((r) => r.id === ref.id);
        const state = !v ? "loading" : v.state === "ready" && serving && !desired ? "draining" : v.state;
        rows.set(`${spec.id}:${ref.version}`, {
          endpointId: spec.id,
          version: ref.version,
          state,
          message: v?.message,
          generation: this.desired.get(spec.name)?.generation ?? spec.generation,
        });
      }
    }
    return [...rows.values()];
  }
}

/** Versions the endpoint routes to (the shadow is best effort: it never blocks a swap). */
function routedRefs(spec: EndpointSpec): VersionRef[] {
  const versions = new Set(Object.values(spec.resolved.variantVersions));
  return [...spec.versions.values()].filter((r) => versions.has(r.version));
}

function sameVersions(a: EndpointSpec, b: EndpointSpec): boolean {
  return [...a.versions.values()].map((r) => r.id).join() === [...b.versions.values()].map((r) => r.id).join();
}
