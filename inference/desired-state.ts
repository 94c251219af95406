/**
 * What the data plane should serve, read from the database: every endpoint, its routing config (normalized), its
 * variants resolved to versions through the model's aliases, and each referenced version's artifact and signature.
 * Followed with LISTEN/NOTIFY on Postgres (the in-process EventEmitter in embedded mode) plus a periodic resync;
 * a failed read keeps the last good state (the caller simply does not get a new one) and is retried with backoff.
 */
import pg from "pg";
import type { Logger } from "pino";
import type { Db } from "@/lib/db/client";
import { desiredStateEvents } from "@/lib/endpoints/notify-desired-state";
import { endpointConfigSchema, formatIssuePath } from "@/lib/routing/endpoint-config.schema";
import { normalizeEndpointConfig, type NormalizedEndpointConfig } from "@/lib/routing/normalize-endpoint-config";
import { resolveVariants, type ResolvedVariants } from "@/lib/routing/resolve-variants";
import type { ModelSignature } from "@/lib/tensor/datatypes";
import type { VersionRef } from "./session-manager";

export const DESIRED_STATE_CHANNEL = "ferry_desired_state";

export interface EndpointSpec {
  id: string;
  name: string;
  generation: number;
  modelName: string;
  config: NormalizedEndpointConfig;
  resolved: ResolvedVariants;
  /** Every version the endpoint routes or shadows to, by version number. */
  versions: Map<number, VersionRef>;
}

export interface DesiredState {
  endpoints: Map<string, EndpointSpec>;
  /** Endpoints whose config cannot be served as stored (invalid config, missing alias or version), with why. */
  problems: Map<string, string>;
}

/** Where desired state comes from; tests substitute one that fails to simulate an unreachable database. */
export interface StateSource {
  load(): Promise<DesiredState>;
}

const SERVABLE = new Set(["ready", "archived"]);

export function dbStateSource(db: Db): StateSource {
  return {
    async load() {
      const rows = await db.endpoint.findMany({
        include: {
          model: {
            select: {
              name: true,
              aliases: { select: { name: true, version: { select: { version: true } } } },
              versions: { select: { id: true, version: true, status: true, sha256: true, storageKey: true } },
            },
          },
        },
      });
      const state: DesiredState = { endpoints: new Map(), problems: new Map() };
      const plans: { row: EndpointRow; plan: SpecPlan }[] = [];
      for (const row of rows) {
        try {
          plans.push({ row, plan: planSpec(row) });
        } catch (e) {
          state.problems.set(row.name, (e as Error).message);
        }
      }
      // Only the signatures of versions something routes to: a model's other versions (and their class labels) stay
      // in the database.
      const ids = [...new Set(plans.flatMap(({ plan }) => plan.wanted.map((v) => v.id)))];
      const signatures = new Map(
        ids.length ? (await db.modelVersion.findMany({ where: { id: { in: ids } }, select: { id: true, signature: true } })).map((v) => [v.id, v.signature]) : [],
      );
      for (const { row, plan } of plans) {
        try {
          state.endpoints.set(row.name, toSpec(row, plan, signatures));
        } catch (e) {
          state.problems.set(row.name, (e as Error).message);
        }
      }
      return state;
    },
  };
}

type VersionRow = { id: string; version: number; status: string; sha256: string; storageKey: string };

type EndpointRow = Awaited<ReturnType<Db["endpoint"]["findMany"]>>[number] & {
  model: {
    name: string;
    aliases: { name: string; version: { version: number } }[];
    versions: VersionRow[];
  };
};

interface SpecPlan {
  config: NormalizedEndpointConfig;
  resolved: ResolvedVariants;
  /** The versions it routes or shadows to, servable. */
  wanted: VersionRow[];
}

/** An endpoint's config checked and resolved to the versions it needs; throws why it cannot be served. */
function planSpec(row: EndpointRow): SpecPlan {
  const parsed = endpointConfigSchema.safeParse(row.config);
  if (!parsed.success) {
    throw new Error(`stored config is invalid: ${parsed.error.issues.map((i) => `${formatIssuePath(i.path)}: ${i.message}`).join("; ")}`);
  }
  const config = normalizeEndpointConfig(parsed.data);
  const aliases = Object.fromEntries(row.model.aliases.map((a) => [a.name, a.version.version]));
  const byNumber = new Map(row.model.versions.map((v) => [v.version, v]));
  const resolved = resolveVariants(config, aliases, { versions: [...byNumber.keys()] });
  const numbers = [...new Set([...Object.values(resolved.variantVersions), ...(resolved.shadowVersion ? [resolved.shadowVersion] : [])])];
  const wanted = numbers.map((n) => {
    const v = byNumber.get(n)!;
    if (!SERVABLE.has(v.status)) throw new Error(`version ${n} is ${v.status}, not ready`);
    return v;
  });
  return { config, resolved, wanted };
}

function toSpec(row: EndpointRow, plan: SpecPlan, signatures: Map<string, unknown>): EndpointSpec {
  const versions = new Map<number, VersionRef>();
  for (const v of plan.wanted) {
    const signature = signatures.get(v.id);
    if (!isSignature(signature)) throw new Error(`version ${v.version} has no signature`);
    versions.set(v.version, { id: v.id, model: row.model.name, version: v.version, sha256: v.sha256, storageKey: v.storageKey, signature });
  }
  return { id: row.id, name: row.name, generation: row.generation, modelName: row.model.name, config: plan.config, resolved: plan.resolved, versions };
}

function isSignature(x: unknown): x is ModelSignature {
  const s = x as ModelSignature | null;
  return !!s && Array.isArray(s.inputs) && Array.isArray(s.outputs);
}

export interface FollowOptions {
  source: StateSource;
  log: Logger;
  onState: (state: DesiredState) => Promise<void>;
  /** Postgres connection string for LISTEN; absent in embedded mode. */
  databaseUrl?: string;
  resyncMs?: number;
}

/**
 * Loads the state once (throws if that fails: the plane cannot start blind), then follows changes. Returns stop().
 * Notifications are coalesced: a burst of changes leads to one reload.
 */
export async function followDesiredState(opts: FollowOptions): Promise<{ stop(): Promise<void>; refresh(): Promise<void> }> {
  const resyncMs = opts.resyncMs ?? 5_000;
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  const reload = async (): Promise<void> => {
    const state = await opts.source.load();
    await opts.onState(state);
  };

  const refresh = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await reload();
          if (failures > 0) opts.log.info("desired state reachable again");
          failures = 0;
        } catch (e) {
          failures++;
          if (failures === 1 || failures % 10 === 0) {
            opts.log.warn({ err: e, failures }, "cannot read desired state; serving the last good state");
          }
        }
      } while (again && !stopped);
    })().finally(() => {
      running = undefined;
      schedule();
    });
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    // Back off while the database is unreachable, up to 30 s between attempts.
    const delay = failures === 0 ? resyncMs : Math.min(30_000, resyncMs * 2 ** Math.min(failures - 1, 3));
    timer = setTimeout(() => void refresh(), delay);
    timer.unref();
  };

  await reload();
  schedule();

  const onEvent = () => void refresh();
  const events = desiredStateEvents();
  events.on("change", onEvent);
  const listener = opts.databaseUrl ? listenPostgres(opts.databaseUrl, onEvent, opts.log) : undefined;

  return {
    refresh,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      events.off("change", onEvent);
      await listener?.stop();
      await running?.catch(() => {});
    },
  };
}

/** A dedicated connection holding LISTEN; reconnects with backoff and resyncs after each reconnect. */
function listenPostgres(url: string, onNotify: () => void, log: Logger): { stop(): Promise<void> } {
  let client: pg.Client | undefined;
  let stopped = false;
  let attempt = 0;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url });
    client = c;
    const reconnect = () => {
      if (stopped || client !== c) return;
      client = undefined;
      c.end().catch(() => {});
      attempt++;
      retry = setTimeout(() => void connect(), Math.min(10_000, 200 * 2 ** Math.min(attempt, 6)));
      retry.unref();
    };
    c.on("error", reconnect);
    c.on("end", reconnect);
    c.on("notification", (n) => {
      if (n.channel === DESIRED_STATE_CHANNEL) onNotify();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${DESIRED_STATE_CHANNEL}`);
      if (attempt > 0) log.info("desired-state listener reconnected");
      attempt = 0;
      onNotify(); // changes may have been missed while disconnected
    } catch (e) {
      if (attempt === 0) log.warn({ err: e }, "desired-state listener cannot connect; retrying");
      reconnect();
    }
  };
  void connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
