/** Messages between the HTTP thread and the session workers (structured clone; tensor buffers are transferred). */
import type { V2Datatype } from "@/lib/tensor/datatypes";
import type { EncodedJson, TensorData } from "@/lib/oip/oip-tensor";

export interface WireTensor {
  name: string;
  datatype: V2Datatype;
  shape: number[];
  data: TensorData;
  /** Outputs of a run asked for with `json`: the data's JSON text and row ends (EncodedJson). */
  json?: EncodedJson;
}

export type ToWorker =
  | { type: "load"; id: number; key: string; bytes: Uint8Array }
  | { type: "unload"; id: number; key: string }
  /** `json`: some request of the run wants its outputs as JSON, so the worker writes their text (EncodedJson). */
  | { type: "run"; id: number; key: string; inputs: WireTensor[]; json?: boolean }
  /** Ends the worker from inside, between runs: terminate() from outside during a native run aborts the process. */
  | { type: "exit"; id: number; code: number };

export type FromWorker =
  | { type: "ok"; id: number; outputs?: WireTensor[] }
  | { type: "error"; id: number; message: string };
