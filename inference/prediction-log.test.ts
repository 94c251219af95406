import { describe, expect, it } from "vitest";
import { LOG_CHUNK_BYTES, LOG_CHUNK_ROWS, nextLogChunk, type LogRow } from "./prediction-log";

describe("nextLogChunk", () => {
  const row = (i: number, values: number): LogRow => ({
    logKey: `k${i}`,
    requestId: `r${i}`,
    endpointId: "e1",
    version: 1,
    variant: null,
    latencyMs: 1,
    status: 200,
    inputs: values ? { x: { datatype: "FP32", shape: [1, values], data: Array.from({ length: values }, (_, k) => k + 0.5) } } : null,
    outputs: null,
    createdAt: new Date(0),
  });

  it("takes every row, in order, in chunks of at most LOG_CHUNK_ROWS rows and about LOG_CHUNK_BYTES of tensors", () => {
    // Sizes from none to over the byte budget on their own (a row that big still goes, alone; a few of those are
    // enough, and they are what costs time here).
    const size = (i: number) => (i % 7 === 0 ? 0 : i % 101 === 3 ? 20_000 : [1, 8, 256, 2_000][i % 4]);
    const logs = Array.from({ length: 3_000 }, (_, i) => row(i, size(i)));
    expect(JSON.stringify(row(3, size(3)).inputs).length).toBeGreaterThan(LOG_CHUNK_BYTES);
    const seen: string[] = [];
    let rest = logs;
    while (rest.length > 0) {
      const chunk = nextLogChunk(rest);
      expect(chunk.rows.length).toBeGreaterThan(0);
      expect(chunk.rows.length).toBeLessThanOrEqual(LOG_CHUNK_ROWS);
      expect(chunk.inputs).toEqual(chunk.rows.map((r) => (r.inputs === null ? null : JSON.stringify(r.inputs))));
      expect(chunk.outputs).toEqual(chunk.rows.map(() => null));
      const bytes = chunk.inputs.reduce((n, j) => n + (j?.length ?? 0), 0);
      if (chunk.rows.length > 1) expect(bytes).toBeLessThanOrEqual(LOG_CHUNK_BYTES);
      // It stopped only where the next row would not fit, or at the row limit.
      const next = rest[chunk.rows.length];
      if (next && chunk.rows.length < LOG_CHUNK_ROWS) expect(bytes + (next.inputs ? JSON.stringify(next.inputs).length : 0)).toBeGreaterThan(LOG_CHUNK_BYTES);
      seen.push(...chunk.rows.map((r) => r.requestId));
      rest = rest.slice(chunk.rows.length);
    }
    expect(seen).toEqual(logs.map((r) => r.requestId));
    expect(nextLogChunk(Array.from({ length: 2_500 }, (_, i) => row(i, 0))).rows).toHaveLength(LOG_CHUNK_ROWS);
  });
});
