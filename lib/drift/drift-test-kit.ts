/**
 * Test helper (integration tests only): an endpoint whose version has a two-feature reference (a, b) and ten minutes
 * of sketched traffic starting at `start` in which b is shifted far above its reference range.
 */
import crypto from "node:crypto";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { flushSketches } from "./flush-sketches";
import { loadDriftSpec } from "./load-drift-spec";
import { createSketchRecorder } from "./sketch-recorder";
import { summarizeReference } from "./summarize-reference";

export async function endpointWithShiftedTraffic(start: number, prefix = "drift-api"): Promise<string> {
  const db = await getDb();
  const id = crypto.randomBytes(4).toString("hex");
  const reference = summarizeReference(Array.from({ length: 100 }, (_, i) => [i % 10, (i * 7) % 13]), ["a", "b"]);
  const model = await db.model.create({ data: { name: `${prefix}-${id}` } });
  await db.modelVersion.create({
    data: {
      modelId: model.id, version: 1, status: "ready", sha256: "0".repeat(64), sizeBytes: 1n, storageKey: "test",
      signature: { inputs: [{ name: "x", datatype: "FP32", shape: [-1, 2] }], outputs: [] },
      referenceSummary: JSON.parse(JSON.stringify({ ...reference, features: reference.features.map((f, i) => ({ ...f, input: "x", index: i })) })) as Prisma.InputJsonValue,
    },
  });
  const endpoint = await db.endpoint.create({ data: { name: `${prefix}-${id}`, modelId: model.id, config: { model: model.name, variants: [{ name: "m", version: 1, weight: 100 }] } } });
  const spec = await loadDriftSpec(db, endpoint.id, 1);
  const rec = createSketchRecorder({ loadSpec: () => spec });
  const rows = Array.from({ length: 100 }, (_, i) => [i % 10, 40 + (i % 5)]);
  rec.record({ endpointId: endpoint.id, version: 1, at: new Date(start), inputs: new Map([["x", { datatype: "FP32", shape: [100, 2], data: Float32Array.from(rows.flat()) }]]) });
  await flushSketches(db, rec.drain(start + 10 * 60_000), "api-test");
  return endpoint.name;
}
