/** `GET /api/audit`: filtered pages that cover every event once, the JSON Lines download, readable 400s, operators only. */
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { call, makeToken } from "@/lib/registry/registry-test-kit";
import { uniq } from "@/lib/alerts/alerts-test-kit";
import { GET } from "./route";

type Event = { id: string; action: string; objectId: string; createdAt: string; after: unknown };

describe("GET /api/audit", () => {
  it("pages and downloads the filtered log, newest first", async () => {
    const db = await getDb();
    const action = uniq("export.check");
    for (let i = 0; i < 5; i++) {
      await recordAudit(db, { type: "user", id: "u-audit", label: "auditor@ferry.test" }, { action, objectType: "thing", objectId: `t${i}`, after: { i } });
      await new Promise((r) => setTimeout(r, 3)); // distinct times, so that "newest first" has one answer
    }
    const operator = await makeToken("operator");
    const get = (query: string, token = operator) => call(GET, { path: `/api/audit?action=${action}${query}`, params: {}, token });

    const all = (await get("")).body.events as Event[];
    expect(all.map((e) => e.objectId)).toEqual(["t4", "t3", "t2", "t1", "t0"]);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      paged.push(...(res.body.events as Event[]).map((e) => e.objectId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all.map((e) => e.objectId));

    // The download: one event per line, exactly as the pages show them, as many as asked for.
    const file = await get("&format=jsonl&limit=3");
    expect(file.status).toBe(200);
    expect(file.res.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(file.res.headers.get("content-disposition")).toMatch(/^attachment; filename="ferry-audit-.*Z\.jsonl"$/);
    const lines = (await file.res.text()).trimEnd().split("\n").map((l) => JSON.parse(l) as Event);
    expect(lines).toEqual(all.slice(0, 3));
    const whole = await get("&format=jsonl");
    expect((await whole.res.text()).trimEnd().split("\n")).toHaveLength(5);

    // A page larger than 200 is refused with the way to get more; viewers are refused.
    const big = await get("&limit=500");
    expect(big.status).toBe(400);
    expect(big.body.error).toBe("limit: at most 200 events a page (a format=jsonl download takes up to 10000)");
    expect((await get("&format=jsonl&limit=10001")).status).toBe(400);
    expect((await get("", await makeToken("viewer", ["read"]))).status).toBe(403);
  });
});
