// Worker threads start without the parent's loaders when the parent is vitest (and `--import` in a worker's execArgv
// is not honoured on Node 20), so the session worker registers tsx itself before importing the TypeScript entry.
import { register as registerCjs } from "tsx/cjs/api";
import { register as registerEsm } from "tsx/esm/api";
import { workerData } from "node:worker_threads";

registerCjs();
registerEsm();
await import(workerData.entry);
