/** Messages between the HTTP thread and the session workers (structured clone; tensor buffers are transferred). */
import type { V2Datatype } from "@/lib/tensor/datatypes";
import type { EncodedJson, TensorData } from "@/lib/oip/oip-tensor";
import type { DriftSpec } from "@/lib/drift/drift-spec";
import type { DriftSketchRow, RecorderStats } from "@/lib/drift/sketch-recorder";

export interface WireTensor {
  name: string;
  datatype: V2Datatype;
  shape: number[];
  data: TensorData;
  /** Outputs of a run asked for with `json`: the data's JSON text and row ends (EncodedJson). */
  json?: EncodedJson;
}

/** Rows `start … start + rows - 1` of a run were served to an endpoint's own traffic: sketch them for drift. */
export interface SketchRange {
  endpointId: string;
  version: number;
  start: number;
  rows: number;
}

/** A worker's drift sketch counters: its recorder's, and the rows its budget did not take (sketch-budget.ts). */
export type WorkerSketchStats = RecorderStats & { skippedRows: number };

export type ToWorker =
  | { type: "load"; id: number; key: string; bytes: Uint8Array }
  | { type: "unload"; id: number; key: string }
  /**
   * `json`: some request of the run wants its outputs as JSON, so the worker writes their text (EncodedJson).
   * `sketch`: the rows to add to the drift sketches once the answer has been sent (worker-sketches.ts).
   */
  | { type: "run"; id: number; key: string; inputs: WireTensor[]; json?: boolean; sketch?: SketchRange[] }
  /** The answer to a worker's `spec?`. */
  | { type: "spec"; id: number; spec?: DriftSpec | null; error?: string }
  /** Snapshots of the worker's drift sketches changed since its last drain. */
  | { type: "drain"; id: number; now: number }
  /** Ends the worker from inside, between runs: terminate() from outside during a native run aborts the process. */
  | { type: "exit"; id: number; code: number };

export type FromWorker =
  | { type: "ok"; id: number; outputs?: WireTensor[] }
  | { type: "error"; id: number; message: string }
  | { type: "drained"; id: number; rows: DriftSketchRow[]; stats: WorkerSketchStats }
  /** A worker asks for a version's drift spec (the database is the HTTP thread's); `id` is the worker's own. */
  | { type: "spec?"; id: number; endpointId: string; version: number };
