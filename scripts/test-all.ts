/**
 * `npm test`: every check Ferry has, in order — type check, lint, unit tests, integration tests against a fresh
 * Postgres database and against embedded PGlite, the production build, and the Playwright e2e suite in Chromium.
 * Prints one summary line of test counts at the end. `npm test -- --only unit,integration` runs a subset.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

interface Step {
  name: string;
  cmd: string[];
  env?: Record<string, string>;
  /** JSON report file to read test counts from. */
  report?: { file: string; kind: "vitest" | "playwright" };
}

const bin = (name: string) => path.join("node_modules", ".bin", name);
const steps: Step[] = [
  { name: "typecheck", cmd: [bin("tsc"), "--noEmit", "-p", "."] },
  { name: "lint", cmd: [bin("eslint"), ".", "--max-warnings=0"] },
  {
    name: "unit",
    cmd: [bin("vitest"), "run", "--project", "unit", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/unit.json"],
    report: { file: "test-results/unit.json", kind: "vitest" },
  },
  {
    name: "integration (postgres)",
    cmd: [bin("vitest"), "run", "--project", "integration", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/int-pg.json"],
    report: { file: "test-results/int-pg.json", kind: "vitest" },
  },
  {
    name: "integration (pglite)",
    cmd: [bin("vitest"), "run", "--project", "integration", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/int-pglite.json"],
    env: { FERRY_TEST_DB: "pglite" },
    report: { file: "test-results/int-pglite.json", kind: "vitest" },
  },
  { name: "build", cmd: [process.execPath, "--import", "tsx", "-e", "require('./lib/server/ensure-build').ensureBuild(process.cwd(), console.log)"] },
  { name: "e2e", cmd: [bin("playwright"), "test"], report: { file: "test-results/e2e.json", kind: "playwright" } },
];

function counts(report: Step["report"]): { passed: number; failed: number; skipped: number } {
  if (!report || !fs.existsSync(report.file)) return { passed: 0, failed: 0, skipped: 0 };
  const j = JSON.parse(fs.readFileSync(report.file, "utf8"));
  if (report.kind === "vitest") return { passed: j.numPassedTests ?? 0, failed: j.numFailedTests ?? 0, skipped: (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0) };
  const s = j.stats ?? {};
  return { passed: s.expected ?? 0, failed: (s.unexpected ?? 0) + (s.flaky ?? 0), skipped: s.skipped ?? 0 };
}

function main(): number {
  const onlyArg = process.argv.indexOf("--only");
  const only = onlyArg > 0 ? process.argv[onlyArg + 1]?.split(",") : undefined;
  const selected = only ? steps.filter((s) => only.some((o) => s.name.startsWith(o))) : steps;
  fs.mkdirSync("test-results", { recursive: true });
  const total = { passed: 0, failed: 0, skipped: 0 };
  const results: string[] = [];
  let ok = true;
  for (const step of selected) {
    if (step.report) fs.rmSync(step.report.file, { force: true });
    const started = Date.now();
    console.log(`\n━━ ${step.name} ━━`);
    const r = spawnSync(step.cmd[0], step.cmd.slice(1), {
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...step.env },
    });
    const secs = ((Date.now() - started) / 1000).toFixed(0);
    const c = counts(step.report);
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
    const stepOk = r.status === 0;
    if (!stepOk) {
      ok = false;
      if (!step.report || c.failed === 0) total.failed += 1; // a failing step without test counts still counts
    }
    results.push(`${stepOk ? "✓" : "✗"} ${step.name} (${secs}s)${step.report ? ` — ${c.passed} passed, ${c.failed} failed` : ""}`);
  }
  console.log(`\n━━ summary ━━\n${results.join("\n")}`);
  console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
  return ok ? 0 : 1;
}

process.exit(main());
