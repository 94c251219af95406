/**
 * The demo's drift history, evaluated by the real statistics: windows before the shift starts look like the
 * reference, the last hours show f2 and f5 drifting and the others not, and the drift page's history query returns one
 * point per past hour that ends where the live hour begins.
 */
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { queryDriftHistory } from "@/lib/drift/query-drift-history";
import { summarizeReference } from "@/lib/drift/summarize-reference";
import { DEMO_FEATURES, demoRows } from "./demo-data";
import { seedDriftHistory } from "./synthesize-drift-history";

const HOUR = 3_600_000;
const names = Array.from({ length: DEMO_FEATURES }, (_, i) => `f${i}`);

async function demoLikeEndpoint(): Promise<string> {
  const db = await getDb();
  const name = `demo-history-${crypto.randomBytes(4).toString("hex")}`;
  const reference = summarizeReference(demoRows(600, 7), names);
  const model = await db.model.create({ data: { name } });
  await db.modelVersion.create({
    data: {
      modelId: model.id, version: 1, status: "ready", sha256: "0".repeat(64), sizeBytes: 1n, storageKey: "test",
      signature: { inputs: [{ name: "x", datatype: "FP32", shape: [-1, DEMO_FEATURES] }], outputs: [] },
      referenceSummary: JSON.parse(JSON.stringify({ ...reference, features: reference.features.map((f, i) => ({ ...f, input: "x", index: i })) })) as Prisma.InputJsonValue,
    },
  });
  await db.endpoint.create({ data: { name, modelId: model.id, config: { model: name, variants: [{ name: "m", version: 1, weight: 100 }] } } });
  return name;
}

describe("seedDriftHistory", () => {
  it("stores one evaluated report per past hour, quiet before the shift and drifting on f2 and f5 at its end", async () => {
    const db = await getDb();
    const endpointName = await demoLikeEndpoint();
    const now = new Date();
    expect(await seedDriftHistory({ db, endpointName, version: 1, now })).toBe(23);

    const history = async (feature: string) => (await queryDriftHistory({ db, endpointName, feature, from: new Date(now.getTime() - 25 * HOUR), to: now })).points;
    const f2 = await history("f2");
    expect(f2).toHaveLength(23);
    // Whole hours, back to back, the last ending where the live hour begins (the live traffic's window).
    const liveHourStart = Math.floor(now.getTime() / 60_000) * 60_000 - HOUR;
    expect(f2.at(-1)!.t).toBe(liveHourStart);
    expect(f2.map((p) => (liveHourStart - p.t) / HOUR)).toEqual(Array.from({ length: 23 }, (_, i) => 22 - i));
    expect(f2.map((p) => p.rows)).toEqual(new Array(23).fill(240));
    expect(new Set(f2.map((p) => `${p.rows} ${p.method}`))).toEqual(new Set(["240 ks"]));

    // Before the shift (the first 17 hours) the p-values are those of samples of the reference; at the end, tiny.
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    expect(median(f2.slice(0, 17).map((p) => p.value!))).toBeGreaterThan(0.1);
    // Reservoir samples are seeded by minute, so p-values vary from run to run: the checks are ones chance does not fail.
    // The shifted features end far past the threshold (about a third of the rows moved by 1.5 sd: p ~ 1e-5).
    for (const feature of ["f2", "f5"]) {
      const last = (await history(feature)).at(-1)!;
      expect(last.drifted, feature).toBe(true);
      expect(last.value!, feature).toBeLessThan(1e-2);
    }
    // The others are samples of the reference all day: their p-values spread over (0, 1), median well above 0.05.
    const unshifted = (await Promise.all(["f0", "f3", "f7"].map(history))).flat().map((p) => p.value!);
    expect(unshifted).toHaveLength(69);
    expect(median(unshifted)).toBeGreaterThan(0.1);
    // History is not news: no alert was raised for it.
    const endpoint = await db.endpoint.findUniqueOrThrow({ where: { name: endpointName } });
    expect(await db.alert.count({ where: { endpointId: endpoint.id } })).toBe(0);
  });
});
