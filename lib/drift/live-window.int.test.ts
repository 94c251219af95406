import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { endpointWithShiftedTraffic } from "@/lib/drift/drift-test-kit";
import { evaluateDriftNow } from "@/lib/drift/evaluate-drift-now";
import { getDriftReport } from "@/lib/drift/get-drift-report";

const MINUTE = 60_000;

// The data plane flushes the running minute's sketches as they grow, so the drift page (no stored report yet) and
// "Evaluate now" must include that minute: right after `ferry start` the demo's traffic is all in it.
describe("the drift page's window", () => {
  it("includes the running minute's traffic, live and when evaluated now", async () => {
    const minute = Date.UTC(2025, 2, 3, 9, 0);
    const name = await endpointWithShiftedTraffic(minute, "drift-live");
    const now = new Date(minute + 30_000);
    const db = await getDb();

    // Just before the traffic, the window is empty and says what to do.
    const before = await getDriftReport({ db, endpointName: name, now: new Date(minute - 1) });
    expect(before.rows).toBe(0);
    expect(before.notes.join(" ")).toMatch(/no traffic was recorded in this window: requests this endpoint answers are sketched/);

    const live = await getDriftReport({ db, endpointName: name, now });
    expect(live).toMatchObject({ id: null, rows: 100, window: { from: new Date(now.getTime() - 60 * MINUTE).toISOString(), to: now.toISOString() } });
    expect(live.features.find((f) => f.name === "b")?.drifted).toBe(true);

    const evaluated = await evaluateDriftNow({ db, endpointName: name, actor: { type: "user", label: "drift-live-test" }, now });
    expect(evaluated.report).toMatchObject({ trigger: "manual", rows: 100, window: { to: now.toISOString() } });

  });
});
