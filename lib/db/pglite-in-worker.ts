/**
 * The embedded database (PGlite) in a worker thread, seen from the process as a Prisma driver adapter.
 *
 * PGlite runs every statement on the thread that calls it, and its promises settle as microtasks: in the same
 * thread as the data plane and the dashboard, a 10 KB prediction-log row held the thread ~0.4 ms, a flush tens of
 * milliseconds, a 30-day chart query ~100 ms — and every request waited. Here the HTTP thread only posts each adapter
 * call (`queryRaw`, `executeRaw`, scripts, transactions) to `pglite-worker.mjs`, which runs it on the real
 * `pglite-prisma-adapter` and answers; Prisma sees the same adapter behaviour and the same errors.
 */
import { Worker } from "node:worker_threads";
import {
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
  type TransactionOptions,
} from "@prisma/driver-adapter-utils";

const ADAPTER_NAME = "pglite-prisma-adapter";

export interface EmbeddedDb {
  /**
   * Hands Prisma an adapter whose calls run in the worker. Its `executeScript` runs a whole script as one
   * simple-protocol query and awaits it (migrations: `$$` bodies and all; failures reported).
   */
  readonly factory: SqlDriverAdapterFactory;
  close(): Promise<void>;
}

interface ErrorData {
  driver?: ConstructorParameters<typeof DriverAdapterError>[0];
  message: string;
  name?: string;
}

type Answer = { id: number; value?: unknown; error?: ErrorData };

function toError(data: ErrorData): Error {
  if (data.driver) return new DriverAdapterError(data.driver);
  const e = new Error(data.message);
  if (data.name) e.name = data.name;
  return e;
}

/** The worker's file, next to this one (computed so that bundlers leave it alone: it is never bundled). */
function workerFile(): URL {
  const here = import.meta.url;
  return new URL("./pglite-worker.mjs", here);
}

export async function openPgliteInWorker(dataDir: string): Promise<EmbeddedDb> {
  const worker = new Worker(workerFile(), { workerData: { dataDir }, execArgv: [] });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  let stopped: Error | undefined;

  await new Promise<void>((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`the embedded database's worker exited (code ${code}) while opening ${dataDir}`));
    worker.once("error", reject);
    worker.once("exit", onExit);
    worker.once("message", (m: { ready: boolean; error?: ErrorData }) => {
      worker.off("error", reject);
      worker.off("exit", onExit);
      if (m.ready) resolve();
      else reject(toError(m.error!));
    });
  });

  // Keeps the process alive only while a call is waiting for its answer, like a socket with a query in flight.
  worker.unref();
  worker.on("message", (m: Answer) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0) worker.unref();
    if (m.error) p.reject(toError(m.error));
    else p.resolve(m.value);
  });
  const fail = (e: Error) => {
    stopped ??= e;
    for (const p of pending.values()) p.reject(stopped);
    pending.clear();
  };
  worker.on("error", (e) => fail(new Error(`the embedded database's worker failed: ${e.message}`)));
  worker.on("exit", (code) => fail(new Error(`the embedded database's worker has stopped (code ${code})`)));

  function call<T>(message: Record<string, unknown>): Promise<T> {
    if (stopped) return Promise.reject(stopped);
    const id = nextId++;
    if (pending.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...message, id });
    });
  }

  const queryable = (tx: number | undefined) => ({
    provider: "postgres" as const,
    adapterName: ADAPTER_NAME,
    queryRaw: (query: SqlQuery) => call<SqlResultSet>({ op: "query", tx, query }),
    executeRaw: (query: SqlQuery) => call<number>({ op: "execute", tx, query }),
  });

  const adapter: SqlDriverAdapter = {
    ...queryable(undefined),
    executeScript: (script: string) => call<void>({ op: "script", script }),
    async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
      const { tx, options } = await call<{ tx: number; options: TransactionOptions }>({ op: "begin", isolationLevel });
      return {
        ...queryable(tx),
        options,
        commit: () => call<void>({ op: "commit", tx }),
        rollback: () => call<void>({ op: "rollback", tx }),
      };
    },
    getConnectionInfo: () => ({ supportsRelationJoins: true }),
    dispose: async () => {},
  };

  return {
    factory: { provider: "postgres", adapterName: ADAPTER_NAME, connect: async () => adapter },
    async close() {
      if (!stopped) await call<void>({ op: "close" }).catch(() => {});
      await worker.terminate();
    },
  };
}
