/**
 * Reports, per endpoint and version, what this instance is doing with it (EndpointState rows: loading, warming,
 * ready, failed with the reason, draining) for `GET /api/endpoints/{name}`. Best effort and coalesced: a change
 * schedules one write shortly after; rows are rewritten every HEARTBEAT_MS so readers can ignore instances that
 * died (updatedAt older than a minute or two); rows of versions no longer served are deleted.
 */
import type { Logger } from "pino";
import type { Db } from "@/lib/db/client";

export const HEARTBEAT_MS = 30_000;

export interface ReportedState {
  endpointId: string;
  /** The endpoint's name (the protocol's model name: Triton's repository index lists by it). */
  endpoint: string;
  version: number;
  state: string;
  message?: string;
  generation: number;
}

export class EndpointStateReporter {
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout;
  private writing: Promise<void> | undefined;
  private pending = false;
  private lastKey = "";

  constructor(
    private readonly db: Db,
    private readonly instanceId: string,
    private readonly snapshot: () => ReportedState[],
    private readonly log: Logger,
  ) {
    this.heartbeat = setInterval(() => this.schedule(true), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  schedule(force = false): void {
    if (force) this.lastKey = "";
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.write();
    }, 200);
    this.timer.unref();
  }

  async write(): Promise<void> {
    if (this.writing) {
      this.pending = true;
      return this.writing;
    }
    this.writing = this.doWrite().finally(() => {
      this.writing = undefined;
      if (this.pending) {
        this.pending = false;
        this.schedule();
      }
    });
    return this.writing;
  }

  private async doWrite(): Promise<void> {
    const rows = this.snapshot();
    const key = JSON.stringify(rows);
    if (key === this.lastKey) return;
    const { db, instanceId } = this;
    try {
      const byEndpoint = new Map<string, number[]>();
      for (const r of rows) byEndpoint.set(r.endpointId, [...(byEndpoint.get(r.endpointId) ?? []), r.version]);
      await db.$transaction([
        db.endpointState.deleteMany({
          where: {
            instanceId,
            OR: [
              { endpointId: { notIn: [...byEndpoint.keys()] } },
              ...[...byEndpoint].map(([endpointId, versions]) => ({ endpointId, version: { notIn: versions } })),
            ],
          },
        }),
        ...rows.map((r) =>
          db.endpointState.upsert({
            where: { endpointId_instanceId_version: { endpointId: r.endpointId, instanceId, version: r.version } },
            create: { endpointId: r.endpointId, instanceId, version: r.version, state: r.state, message: r.message ?? null, generation: r.generation },
            update: { state: r.state, message: r.message ?? null, generation: r.generation },
          }),
        ),
      ]);
      this.lastKey = key;
    } catch (e) {
      this.log.debug({ err: e }, "could not report endpoint state; will retry");
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        void this.write();
      }, 5_000).unref();
    }
  }

  /** Removes this instance's rows (clean shutdown). */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    clearTimeout(this.timer);
    await this.writing?.catch(() => {});
    await this.db.endpointState.deleteMany({ where: { instanceId: this.instanceId } }).catch(() => {});
  }
}
