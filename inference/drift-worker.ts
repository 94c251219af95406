/**
 * The drift worker: holds the data plane's drift sketches (lib/drift/sketch-recorder.ts) on a thread of its own, so
 * binning and sampling every answered row never runs on the HTTP thread. Started by drift-thread.ts through
 * worker-bootstrap.mjs; speaks the messages typed there. Specs are asked of the parent (it has the database).
 */
import fs from "node:fs";
import os from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { createSketchRecorder, type RecordedTensor } from "@/lib/drift/sketch-recorder";
import type { DriftSpec } from "@/lib/drift/drift-spec";
import { PendingRecords, type FromDriftWorker, type ToDriftWorker, type WireSketchTensor } from "./drift-thread";

const port = parentPort!;

// Serving comes first: on Linux a thread has its own nice value, and this one yields to the HTTP thread and the
// session workers when they want the cores (it sketches in idle time; the pending bound drops what it cannot keep up
// with, counted). Elsewhere the call fails and the thread runs at normal priority.
try {
  const tid = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
  if (Number.isInteger(tid) && tid !== process.pid) os.setPriority(tid, 10);
} catch {
  // not Linux, or not allowed: normal priority
}
const { seed, maxSketches } = workerData as { seed: number; maxSketches?: number };
const specRequests = new Map<number, { resolve: (spec: DriftSpec | null) => void; reject: (e: Error) => void }>();
let nextId = 1;

const send = (m: FromDriftWorker) => port.postMessage(m);

const recorder = createSketchRecorder({
  seed,
  maxSketches,
  loadSpec: (endpointId, version) =>
    new Promise<DriftSpec | null>((resolve, reject) => {
      const id = nextId++;
      specRequests.set(id, { resolve, reject });
      send({ type: "spec?", id, endpointId, version });
    }),
});

// A failed spec load is counted by the recorder (specErrors); nothing else can reject.
const pending = new PendingRecords(() => {});
const tensors = (wire: WireSketchTensor[]) => new Map<string, RecordedTensor>(wire.map((t) => [t.name, t]));

port.on("message", (m: ToDriftWorker) => {
  switch (m.type) {
    case "record": {
      for (const r of m.records) {
        pending.add(recorder.record({ endpointId: r.endpointId, version: r.version, at: new Date(r.at), inputs: tensors(r.inputs), outputs: r.outputs && tensors(r.outputs) }));
      }
      send({ type: "recorded", values: m.values });
      return;
    }
    case "spec": {
      const waiting = specRequests.get(m.id);
      specRequests.delete(m.id);
      if (m.error !== undefined) waiting?.reject(new Error(m.error));
      else waiting?.resolve(m.spec ?? null);
      return;
    }
    case "drain":
      // Records waiting for a spec are in the drain: the spec's answer arrives meanwhile (messages keep flowing).
      void pending.settled().then(() => send({ type: "drained", id: m.id, rows: recorder.drain(m.now), stats: recorder.stats() }));
      return;
    case "requeue":
      recorder.requeue(m.rows);
      return;
  }
});
