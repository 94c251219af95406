// The embedded database's thread: PGlite and its Prisma driver adapter, driven by lib/db/pglite-in-worker.ts over
// messages. Plain JavaScript (no loader needed): both packages ship JavaScript. Each message is one adapter call;
// the answer carries the same id. Errors cross as data: a DriverAdapterError as its `cause` (Prisma reads that to
// map constraint violations and the like), anything else as its message.
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";

const port = parentPort;
let pglite;
let adapter;
const transactions = new Map();
let nextTransaction = 1;

function errorData(e) {
  if (e && e.name === "DriverAdapterError" && typeof e.cause === "object") return { driver: e.cause, message: e.message };
  return { message: String(e?.message ?? e), name: e?.name };
}

function transaction(id) {
  const tx = transactions.get(id);
  if (!tx) throw new Error(`transaction ${id} is not open`);
  return tx;
}

async function handle(m) {
  switch (m.op) {
    case "query":
      return (m.tx ? transaction(m.tx) : adapter).queryRaw(m.query);
    case "execute":
      return (m.tx ? transaction(m.tx) : adapter).executeRaw(m.query);
    case "script":
      // Awaited as one simple-protocol query (the adapter's executeScript neither awaits nor reports failures).
      await pglite.exec(m.script);
      return undefined;
    case "begin": {
      const tx = await adapter.startTransaction(m.isolationLevel);
      const id = nextTransaction++;
      transactions.set(id, tx);
      return { tx: id, options: tx.options };
    }
    case "commit":
    case "rollback": {
      const tx = transaction(m.tx);
      transactions.delete(m.tx);
      return m.op === "commit" ? tx.commit() : tx.rollback();
    }
    case "close":
      await pglite.close();
      return undefined;
    default:
      throw new Error(`unknown operation ${m.op}`);
  }
}

port.on("message", (m) => {
  handle(m).then(
    (value) => port.postMessage({ id: m.id, value }),
    (e) => port.postMessage({ id: m.id, error: errorData(e) }),
  );
});

try {
  pglite = await PGlite.create({ dataDir: workerData.dataDir });
  adapter = await new PrismaPGlite(pglite).connect();
  port.postMessage({ ready: true });
} catch (e) {
  port.postMessage({ ready: false, error: errorData(e) });
}
