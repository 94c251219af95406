/**
 * The data plane's serving state: which endpoint config is active, which versions are loaded, and the swap between
 * them. A new desired state loads every version it needs next to the ones serving; an endpoint switches to its
 * new config as soon as all of its versions are ready — at once if they already are, without waiting for other
 * endpoints' loads (a version that failed keeps the previous config serving);
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
  private latest: Promise<void> = Promise.resolve();

  constructor(
    private readonly sessions: SessionManager,
    private readonly log: Logger,
  ) {}

  /** True once the first desired state is loaded and every endpoint in it has an active config. */
  get warm(): boolean {
    return this.loadedOnce && [...this.desired.keys()].every((name) => this.active.has(name));
  }

  /**
   * Takes a new desired state: starts loading the versions it needs, switches at once every endpoint whose versions
   * are all ready (a weights-only change applies immediately, whatever else is still loading), and resolves when this
   * state's loads have finished and the endpoints that waited for them have switched. Callers need not wait: a later
   * state may be applied meanwhile, and whichever load finishes switches what is desired then.
   */
  apply(state: DesiredState): Promise<void> {
    this.desired = state.endpoints;
    for (const [name, problem] of state.problems) {
      if (this.problems.get(name) !== problem) this.log.error({ endpoint: name, problem }, "endpoint config cannot be served; keeping what was serving");
    }
    this.problems = state.problems;
    const loads = this.sessions.reconcile(this.wantedRefs());
    this.activate();
    this.latest = loads.then(() => this.settle());
    return this.latest;
  }

  /** Resolves when the latest desired state's loads have finished and its endpoints have switched. */
  settled(): Promise<void> {
    return this.latest;
  }

  private async settle(): Promise<void> {
    this.activate();
    this.loadedOnce = true;
    // Versions only the previous configs routed to drain and unload now.
    await this.sessions.reconcile(this.wantedRefs());
  }

  /** Routes each desired endpoint with its new config when it can, else with the one it had. */
  private activate(): void {
    for (const [name, spec] of this.desired) {
      const current = this.active.get(name);
      const states = routedRefs(spec).map((r) => this.sessions.get(r.id)?.state);
      const allReady = states.every((st) => st === "ready");
      // A new endpoint waits for its loads to end (ready or failed) before it is served at all.
      const loadsOver = states.every((st) => st === "ready" || st === "failed");
      if (allReady || (!current && loadsOver)) {
        if (current !== spec && (!current || current.generation !== spec.generation || !sameVersions(current, spec))) {
          this.log.info({ endpoint: name, generation: spec.generation }, "endpoint config active");
        }
        this.active.set(name, spec);
      } else if (current) {
        // Keep routing with the previous config until the new one's versions are ready; a failure shows in the
        // endpoint's state.
        this.active.set(name, { ...current, id: spec.id });
      }
    }
    // Endpoints deleted from the database stop being served (a config that became invalid keeps its last good one).
    for (const name of [...this.active.keys()]) {
      if (!this.desired.has(name) && !this.problems.has(name)) this.active.delete(name);
    }
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
          endpoint: spec.name,
          version: ref.version,
          state,
          message: v?.message,
          // The generation this instance routes the endpoint with (the desired one until it serves it at all): a
          // pipeline waiting for every instance to report generation N and its versions ready waits for the switch.
          generation: this.active.get(spec.name)?.generation ?? this.desired.get(spec.name)?.generation ?? spec.generation,
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
