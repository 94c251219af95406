/**
 * The embedded database in its worker thread (pglite-in-worker.ts), under Prisma as the app uses it: errors keep
 * their Prisma codes, interactive transactions commit and roll back, the calling thread keeps turning while a long
 * statement runs, and an open database does not keep a process alive. Embedded mode only.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { getDb, openDb } from "@/lib/db/client";

describe.skipIf(process.env.FERRY_TEST_DB !== "pglite")("embedded PGlite in a worker thread", () => {
  it("reports a unique violation as Prisma's P2002, and the row stored first stays", async () => {
    const db = await getDb();
    await db.setting.create({ data: { key: "worker.unique", value: { n: 1 } } });
    const err = await db.setting.create({ data: { key: "worker.unique", value: { n: 2 } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect((err as Prisma.PrismaClientKnownRequestError).code).toBe("P2002");
    expect((await db.setting.findUnique({ where: { key: "worker.unique" } }))?.value).toEqual({ n: 1 });
  });

  it("commits an interactive transaction that returns and rolls back one that throws", async () => {
    const db = await getDb();
    await db.$transaction(async (tx) => {
      await tx.setting.create({ data: { key: "worker.tx.kept", value: 1 } });
      await tx.setting.update({ where: { key: "worker.tx.kept" }, data: { value: 2 } });
    });
    const thrown = await db
      .$transaction(async (tx) => {
        await tx.setting.create({ data: { key: "worker.tx.lost", value: 1 } });
        throw new Error("changed my mind");
      })
      .catch((e: Error) => e.message);
    expect(thrown).toBe("changed my mind");
    expect((await db.setting.findUnique({ where: { key: "worker.tx.kept" } }))?.value).toBe(2);
    expect(await db.setting.findUnique({ where: { key: "worker.tx.lost" } })).toBeNull();
    // Concurrent transactions queue behind one another (PGlite has one connection) rather than interleave.
    await Promise.all(
      [1, 2, 3].map((i) =>
        db.$transaction(async (tx) => {
          const row = await tx.setting.findUnique({ where: { key: "worker.tx.kept" } });
          await tx.setting.update({ where: { key: "worker.tx.kept" }, data: { value: (row!.value as number) + i } });
        }),
      ),
    );
    expect((await db.setting.findUnique({ where: { key: "worker.tx.kept" } }))?.value).toBe(8);
  });

  it("keeps the calling thread's event loop turning while a long statement runs", async () => {
    const db = await getDb();
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const started = performance.now();
    const rows = await db.$queryRawUnsafe<{ n: bigint }[]>("SELECT count(*) AS n FROM generate_series(1, 2000000) AS g WHERE g % 7 = 0");
    const ms = performance.now() - started;
    ticking = false;
    expect(Number(rows[0].n)).toBe(Math.floor(2_000_000 / 7));
    // On the calling thread the statement would run inside one call: no turn at all until it returned.
    expect(ms).toBeGreaterThan(20);
    expect(turns).toBeGreaterThan(10);
  });

  it("runs migration scripts whole and reports their errors", async () => {
    const adapter = await (await openDb()).embedded!.factory.connect();
    await adapter.executeScript(`CREATE TABLE worker_script (n int); DO $$ BEGIN INSERT INTO worker_script VALUES (1); END $$;`);
    const db = await getDb();
    expect(await db.$queryRawUnsafe("SELECT n FROM worker_script")).toEqual([{ n: 1 }]);
    await expect(adapter.executeScript("SELECT * FROM no_such_table")).rejects.toThrow(/no_such_table/);
  });

  it("does not keep a process alive once nothing is waiting for the database", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-worker-exit-"));
    const script = path.join(dir, "open-and-leave.ts");
    fs.writeFileSync(
      script,
      `import { openPgliteInWorker } from ${JSON.stringify(path.resolve("lib/db/pglite-in-worker.ts"))};
openPgliteInWorker(${JSON.stringify(path.join(dir, "data"))})
  .then((db) => db.factory.connect())
  .then((adapter) => adapter.queryRaw({ sql: "SELECT 40 + 2 AS answer", args: [], argTypes: [] }))
  .then((r) => console.log("answer", JSON.stringify(r.rows)));
`,
    );
    try {
      const child = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8", timeout: 30_000 });
      expect(child.stderr).toBe("");
      // The query in flight kept the process alive until its answer; the open database did not keep it afterwards.
      expect(child.stdout.trim()).toBe("answer [[42]]");
      expect(child.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
