/**
 * A session worker: holds onnxruntime sessions and runs them off the HTTP thread (onnxruntime-node's `run` blocks
 * the event loop it is called on), and keeps the drift sketches of the rows it ran (worker-sketches.ts). Started
 * through worker-bootstrap.mjs; speaks worker-protocol.ts.
 */
import { parentPort, workerData } from "node:worker_threads";
import * as ort from "onnxruntime-node";
import { cleanOrtMessage } from "@/lib/onnx/load-signature";
import { encodeJsonRows } from "@/lib/oip/encode-json-data";
import { isWholeBuffer } from "@/lib/oip/oip-tensor";
import { ortFromV2, v2FromOrt } from "@/lib/tensor/datatypes";
import type { FromWorker, ToWorker, WireTensor } from "./worker-protocol";
import { WorkerSketches, type SketchTensor } from "./worker-sketches";

const port = parentPort!;
const sessions = new Map<string, ort.InferenceSession>();
const { sketchSeed, sketchValuesPerSecond } = workerData as { sketchSeed?: number; sketchValuesPerSecond?: number };
const sketches = new WorkerSketches(sketchSeed ?? 0, reply, { valuesPerSecond: sketchValuesPerSecond });

function reply(message: FromWorker, transfer: ArrayBuffer[] = []) {
  port.postMessage(message, transfer);
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case "load": {
      if (sessions.has(msg.key)) return reply({ type: "ok", id: msg.id });
      // One intra-op thread per worker: parallelism comes from the workers, and 2 cores oversubscribed by
      // onnxruntime's own pool made every run slower in practice. onnxruntime logs only fatal errors: a failed run's
      // message reaches the caller and the data plane's log (handle-infer.ts), not a raw stderr line per try.
      const session = await ort.InferenceSession.create(msg.bytes, {
        logSeverityLevel: 4,
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
      });
      sessions.set(msg.key, session);
      return reply({ type: "ok", id: msg.id });
    }
    case "unload": {
      const session = sessions.get(msg.key);
      sessions.delete(msg.key);
      // The pool unloads only at zero in-flight runs: releasing during a run has crashed onnxruntime (#21812).
      await session?.release();
      return reply({ type: "ok", id: msg.id });
    }
    case "exit":
      process.exit(msg.code);
    case "run": {
      const session = sessions.get(msg.key);
      if (!session) throw new Error(`session ${msg.key} is not loaded on this worker`);
      const feeds: Record<string, ort.Tensor> = {};
      for (const t of msg.inputs) feeds[t.name] = new ort.Tensor(ortFromV2(t.datatype), t.data as never, t.shape);
      const result = await session.run(feeds);
      const outputs: WireTensor[] = [];
      const transfer: ArrayBuffer[] = [];
      // The outputs' buffers go to the HTTP thread with the answer: the sketches keep their own copies (a few KB).
      const ranges = msg.sketch ? sketches.admit(msg.sketch, msg.inputs) : [];
      const sketching = ranges.length > 0;
      const sketched: SketchTensor[] = [];
      for (const name of session.outputNames) {
        const tensor = result[name];
        const datatype = v2FromOrt(tensor.type);
        if (!datatype) throw new Error(`output '${name}' has type ${tensor.type}, which the protocol cannot carry`);
        const data = tensor.data as WireTensor["data"];
        if (!Array.isArray(data)) {
          const owned = isWholeBuffer(data) ? data : data.slice();
          transfer.push(owned.buffer as ArrayBuffer);
          if (sketching) sketched.push({ name, datatype, shape: tensor.dims, data: owned === data ? data.slice() : data });
          const shape = [...tensor.dims];
          const json = msg.json && shape.length >= 1 ? encodeJsonRows(datatype, owned, shape[0]) : undefined;
          if (json) transfer.push(json.rowEnds.buffer as ArrayBuffer);
          outputs.push({ name, datatype, shape, data: owned, json });
        } else {
          outputs.push({ name, datatype, shape: [...tensor.dims], data });
          if (sketching) sketched.push({ name, datatype, shape: tensor.dims, data });
        }
      }
      reply({ type: "ok", id: msg.id, outputs }, transfer);
      // After the answer, in the same turn: by the time the HTTP thread has the answer, its rows are in the sketches
      // (or waiting for their spec), so a drain asked for after any answer includes it.
      if (sketching) sketches.record(ranges, msg.inputs, sketched);
      if (msg.sketch) sketches.skip(msg.sketch, ranges, msg.inputs);
      return;
    }
    case "spec":
      return sketches.answerSpec(msg);
    case "drain": {
      const { rows, stats } = await sketches.drain(msg.now);
      return reply({ type: "drained", id: msg.id, rows, stats });
    }
  }
}

port.on("message", (msg: ToWorker) => {
  handle(msg).catch((e: unknown) => {
    reply({ type: "error", id: msg.id, message: cleanOrtMessage(String((e as Error)?.message ?? e)) });
  });
});
