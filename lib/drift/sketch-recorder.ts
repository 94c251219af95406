// The data plane's in-memory drift recorder. It is called after a response is sent (never on the request path),
// splits each input tensor into the reference's feature columns and adds every row to the sketch of
// (endpoint, version, minute, "input:<feature>"); classifier outputs add their argmax class to "output:<name>".
// Rows served but left out (the data plane's drift budget) are recorded too, as a count: `skipped` of each input
// feature's sketch.
//
// Sketches are CUMULATIVE per minute: `drain()` returns a snapshot of every sketch that changed since the last
// drain, and the flush overwrites the row of (endpoint, version, minute, instance, feature) with it. Writing the
// same snapshot twice is harmless, so a retried flush can never double count (see flush-sketches.ts). A minute is
// kept in memory until `graceMinutes` after it ends; values for a minute already evicted are dropped and counted
// as `late` (overwriting its row with a partial sketch would lose what was flushed before).
//
// Pure: no DB, no I/O. Memory is bounded by `maxSketches`; a record that would need more is dropped and counted.
import { floatToHalf, halfToFloat } from "@/lib/oip/float16";
import type { DriftSpec } from "@/lib/drift/drift-spec";
import { mixSeed } from "@/lib/drift/seeded-random";
import { rowSize } from "@/lib/oip/stack-batch";
import { addNumbers, addValue, newSketch, serializeSketch, type Sketch, type SketchSpec } from "@/lib/drift/sketch";

/** An input or output tensor as the data plane holds it (lib/oip's OipTensor fits). */
export type RecordedTensor = {
  datatype: string;
  shape: readonly number[];
  data: ArrayLike<number | bigint | string>;
};

type Tensors = ReadonlyMap<string, RecordedTensor> | Readonly<Record<string, RecordedTensor>>;

export type SketchRecord = {
  endpointId: string;
  version: number;
  inputs: Tensors;
  outputs?: Tensors;
  at: Date;
  /**
   * Set when these rows were served but are not to be sketched (past the drift budget): each input feature's sketch
   * of the minute counts them as `skipped` instead, and `inputs` only need to say which inputs there are.
   */
  skippedRows?: number;
};

/** One DriftSketch row (without instanceId, which the flush adds); `sketch` is serializeSketch's JSON. */
export type DriftSketchRow = { endpointId: string; version: number; minute: Date; feature: string; sketch: string };

export type SpecLoader = (endpointId: string, version: number) => DriftSpec | null | Promise<DriftSpec | null>;

export type SketchRecorderOptions = {
  loadSpec: SpecLoader;
  /** Upper bound on sketches held (each is a few KB). Default 20 000. */
  maxSketches?: number;
  /** Minutes a closed minute stays open for stragglers before it is flushed a last time and evicted. Default 2. */
  graceMinutes?: number;
  /** How long a loaded spec (or a "no reference" answer) is trusted before it is loaded again. */
  specTtlMs?: number;
  nullSpecTtlMs?: number;
  /** Mixed into every reservoir seed, e.g. a hash of the instance id, so instances sample independently. */
  seed?: number;
  now?: () => number;
};

export type RecorderStats = { sketches: number; dropped: number; late: number; specErrors: number };

export type SketchRecorder = {
  /** Returns a promise only while the version's spec is being loaded; callers need not await it. */
  record(record: SketchRecord): void | Promise<void>;
  /** Snapshots of every sketch changed since the last drain; evicts minutes past the grace period. */
  drain(now?: number): DriftSketchRow[];
  stats(): RecorderStats;
};

const MINUTE = 60_000;

type Entry = { endpointId: string; version: number; minute: number; feature: string; sketch: Sketch; dirty: boolean };
/**
 * The entries of one (endpoint, version, minute), by position in the spec (features, then outputs): found once per
 * minute, so a record costs one map lookup instead of building a key per feature. Undefined until first recorded.
 */
type Slot = { minute: number; spec: DriftSpec; features: (Entry | undefined)[]; outputs: (Entry | undefined)[]; complete: boolean };
type CachedSpec = { spec: DriftSpec | null; expires: number; pending?: Promise<DriftSpec | null> };

const keyOf = (endpointId: string, version: number, minute: number, feature: string) => `${endpointId}\u0000${version}\u0000${minute}\u0000${feature}`;

/** Which sketch a drained row is a snapshot of: its (endpoint, version, minute, feature), as one string. */
export const sketchKeyOf = (row: DriftSketchRow) => keyOf(row.endpointId, row.version, row.minute.getTime(), row.feature);

function getTensor(tensors: Tensors | undefined, name: string): RecordedTensor | undefined {
  if (!tensors) return undefined;
  return tensors instanceof Map ? tensors.get(name) : (tensors as Record<string, RecordedTensor>)[name];
}

/** Element → JS value: numbers stay numbers (64-bit integers converted), FP16 bits decoded, BYTES strings kept. */
function valueAt(t: RecordedTensor, i: number): unknown {
  const v = t.data[i];
  if (typeof v === "bigint") return Number(v);
  if (t.datatype === "FP16" && typeof v === "number") return halfToFloat(v);
  return v;
}

/**
 * Live FP32/FP16 values are the reference's doubles rounded to the tensor's precision; rounding the edges the same
 * way keeps a value equal to a reference value in the same bin (0.3 as float32 is just above the double 0.3).
 */
function roundEdges(spec: SketchSpec, datatype: string): SketchSpec {
  if (spec.kind !== "numeric") return spec;
  if (datatype === "FP32") return { ...spec, edges: spec.edges.map(Math.fround) };
  if (datatype === "FP16") return { ...spec, edges: spec.edges.map((e) => halfToFloat(floatToHalf(e))) };
  return spec;
}

/** Values that are plain finite-or-not JS numbers as stored (not FP16 bits, not 64-bit integers, not strings). */
function isPlainNumbers(t: RecordedTensor): boolean {
  const d = t.data;
  return t.datatype !== "FP16" && (d instanceof Float32Array || d instanceof Float64Array || d instanceof Int32Array || d instanceof Uint8Array || d instanceof Int8Array || d instanceof Int16Array || d instanceof Uint16Array || d instanceof Uint32Array);
}

/** No position left empty (a loop, not every(): every() skips the holes of `new Array(n)`). */
function filled(entries: (Entry | undefined)[]): boolean {
  for (let i = 0; i < entries.length; i++) if (!entries[i]) return false;
  return true;
}

function rowsOf(t: RecordedTensor): { rows: number; stride: number } {
  return { rows: t.shape.length === 0 ? 1 : t.shape[0], stride: rowSize(t.shape) };
}

export function createSketchRecorder(options: SketchRecorderOptions): SketchRecorder {
  const maxSketches = options.maxSketches ?? 20_000;
  const grace = (options.graceMinutes ?? 2) * MINUTE;
  const specTtl = options.specTtlMs ?? 5 * MINUTE;
  const nullTtl = options.nullSpecTtlMs ?? MINUTE;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const slots = new Map<string, Slot>();
  const specs = new Map<string, CachedSpec>();
  let closedBefore = -Infinity;
  let dropped = 0;
  let late = 0;
  let specErrors = 0;

  function loadSpec(endpointId: string, version: number): DriftSpec | null | Promise<DriftSpec | null> {
    const key = `${endpointId}\u0000${version}`;
    const cached = specs.get(key);
    if (cached?.pending) return cached.spec ?? cached.pending;
    if (cached && cached.expires > now()) return cached.spec;
    let result: DriftSpec | null | Promise<DriftSpec | null>;
    try {
      result = options.loadSpec(endpointId, version);
    } catch {
      specErrors++;
      specs.set(key, { spec: cached?.spec ?? null, expires: now() + nullTtl });
      return cached?.spec ?? null;
    }
    if (!(result instanceof Promise)) {
      specs.set(key, { spec: result, expires: now() + (result ? specTtl : nullTtl) });
      return result;
    }
    const pending = result.then(
      (spec) => {
        specs.set(key, { spec, expires: now() + (spec ? specTtl : nullTtl) });
        return spec;
      },
      () => {
        specErrors++;
        const spec = cached?.spec ?? null;
        specs.set(key, { spec, expires: now() + nullTtl });
        return spec;
      },
    );
    // While reloading an expired spec, keep recording with the old one.
    specs.set(key, { spec: cached?.spec ?? null, expires: 0, pending });
    return cached?.spec ?? pending;
  }

  function entryFor(r: SketchRecord, minute: number, feature: string, spec: () => SketchSpec, salt: number): Entry {
    const key = keyOf(r.endpointId, r.version, minute, feature);
    let entry = entries.get(key);
    if (!entry) {
      const sketch = newSketch(spec(), mixSeed(options.seed ?? 0, minute / MINUTE, salt));
      entry = { endpointId: r.endpointId, version: r.version, minute, feature, sketch, dirty: true };
      entries.set(key, entry);
    }
    return entry;
  }

  function slotFor(r: SketchRecord, minute: number, spec: DriftSpec): Slot {
    const key = `${r.endpointId}\u0000${r.version}\u0000${minute}`;
    let slot = slots.get(key);
    if (!slot || slot.spec !== spec) {
      slot = { minute, spec, features: new Array(spec.features.length), outputs: new Array(spec.outputs.length), complete: false };
      slots.set(key, slot);
    }
    return slot;
  }

  function recordWith(r: SketchRecord, spec: DriftSpec | null): void {
    if (!spec) return;
    const minute = Math.floor(r.at.getTime() / MINUTE) * MINUTE;
    if (minute < closedBefore) {
      late++;
      return;
    }
    const slot = slotFor(r, minute, spec);
    const { features, outputs } = spec;
    // Features of one input are usually adjacent: look each tensor up once, not once per feature.
    const inputTensors = new Array<RecordedTensor | undefined>(features.length);
    for (let i = 0; i < features.length; i++) {
      inputTensors[i] = i > 0 && features[i].input === features[i - 1].input ? inputTensors[i - 1] : getTensor(r.inputs, features[i].input);
    }
    const outputTensors = outputs.map((o) => {
      const t = getTensor(r.outputs, o.name);
      return t && t.shape.length === 2 ? t : undefined;
    });
    if (!slot.complete) {
      // All sketches of one record or none, so a feature never counts rows its neighbours did not.
      let missing = 0;
      for (let i = 0; i < features.length; i++) {
        if (slot.features[i]) continue;
        if (inputTensors[i] && !entries.has(keyOf(r.endpointId, r.version, minute, `input:${features[i].name}`))) missing++;
      }
      for (let i = 0; i < outputs.length; i++) {
        if (slot.outputs[i]) continue;
        if (outputTensors[i] && !entries.has(keyOf(r.endpointId, r.version, minute, `output:${outputs[i].name}`))) missing++;
      }
      if (missing > 0 && entries.size + missing > maxSketches) {
        dropped++;
        return;
      }
    }
    if (r.skippedRows !== undefined) {
      for (let i = 0; i < features.length; i++) {
        const t = inputTensors[i];
        const f = features[i];
        if (!t || f.column >= rowSize(t.shape)) continue;
        const entry = (slot.features[i] ??= entryFor(r, minute, `input:${f.name}`, () => roundEdges(f.spec, t.datatype), i));
        entry.dirty = true;
        entry.sketch.skipped = (entry.sketch.skipped ?? 0) + r.skippedRows;
      }
      return;
    }
    let shapeOf: RecordedTensor | undefined;
    let rows = 0;
    let stride = 1;
    for (let i = 0; i < features.length; i++) {
      const t = inputTensors[i];
      if (!t) continue;
      if (t !== shapeOf) ({ rows, stride } = rowsOf((shapeOf = t)));
      const f = features[i];
      if (f.column >= stride) continue;
      const entry = (slot.features[i] ??= entryFor(r, minute, `input:${f.name}`, () => roundEdges(f.spec, t.datatype), i));
      entry.dirty = true;
      const sketch = entry.sketch;
      if (sketch.kind === "numeric" && isPlainNumbers(t)) addNumbers(sketch, t.data as ArrayLike<number>, f.column, stride, rows);
      else for (let row = 0; row < rows; row++) addValue(sketch, valueAt(t, row * stride + f.column));
    }
    for (let i = 0; i < outputs.length; i++) {
      const t = outputTensors[i];
      if (!t) continue;
      const o = outputs[i];
      const { rows, stride } = rowsOf(t);
      const entry = (slot.outputs[i] ??= entryFor(r, minute, `output:${o.name}`, () => o.spec, 1000 + i));
      entry.dirty = true;
      // Each row's class (the index of its largest score) counted here, then added once per class: a sketch update
      // per row (a string key and a lookup) cost ~170 ns, more than the row's 32 input values.
      const classes = new Float64Array(stride + 1);
      const plain = isPlainNumbers(t);
      for (let row = 0; row < rows; row++) {
        let best = -1;
        let bestValue = -Infinity;
        for (let k = 0, i = row * stride; k < stride; k++, i++) {
          const v = plain ? (t.data[i] as number) : Number(valueAt(t, i));
          if (v > bestValue) {
            bestValue = v;
            best = k;
          }
        }
        classes[best < 0 ? stride : best]++;
      }
      const sketch = entry.sketch;
      for (let k = 0; k <= stride; k++) if (classes[k] > 0) addValue(sketch, k === stride ? null : String(k), classes[k]);
    }
    // Once every position has its entry, later records of this minute skip the all-or-none check.
    if (!slot.complete) slot.complete = filled(slot.features) && filled(slot.outputs);
  }

  return {
    record(r) {
      const spec = loadSpec(r.endpointId, r.version);
      if (spec instanceof Promise) return spec.then((s) => recordWith(r, s));
      recordWith(r, spec);
    },

    drain(at = now()) {
      const cutoff = Math.floor(at / MINUTE) * MINUTE - grace;
      const rows: DriftSketchRow[] = [];
      for (const [key, e] of entries) {
        if (e.dirty) {
          rows.push({ endpointId: e.endpointId, version: e.version, minute: new Date(e.minute), feature: e.feature, sketch: serializeSketch(e.sketch) });
          e.dirty = false;
        }
        if (e.minute < cutoff) entries.delete(key);
      }
      for (const [key, slot] of slots) if (slot.minute < cutoff) slots.delete(key);
      closedBefore = Math.max(closedBefore, cutoff);
      return rows;
    },

    stats: () => ({ sketches: entries.size, dropped, late, specErrors }),
  };
}
