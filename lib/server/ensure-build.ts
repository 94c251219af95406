/**
 * `npm start` on a fresh clone must work without a separate build step: build the Next.js app when there is no
 * build or when the sources changed since the last one (a fingerprint of file sizes and mtimes).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";

const SOURCES = ["app", "components", "lib", "next.config.ts", "package.json", "postcss.config.mjs", "tsconfig.json"];
const SKIP = new Set(["node_modules", ".next", "generated"]);

function walk(p: string, out: string[]) {
  if (!fs.existsSync(p)) return;
  const st = fs.statSync(p);
  if (st.isDirectory()) {
    for (const e of fs.readdirSync(p)) if (!SKIP.has(e) && !e.endsWith(".test.ts")) walk(path.join(p, e), out);
  } else {
    out.push(`${p}:${st.size}:${st.mtimeMs}`);
  }
}

export function sourceFingerprint(root: string): string {
  const entries: string[] = [];
  for (const s of SOURCES) walk(path.join(root, s), entries);
  return crypto.createHash("sha256").update(entries.sort().join("\n")).digest("hex");
}

export function ensureBuild(root: string, log: (m: string) => void, opts: { force?: boolean } = {}): void {
  const stamp = path.join(root, ".next", "ferry-build-fingerprint");
  const fingerprint = sourceFingerprint(root);
  const built = fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === fingerprint;
  if (built && !opts.force) return;
  log(opts.force ? "building the dashboard…" : "building the dashboard (first start or sources changed; about a minute)…");
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const r = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  });
  if (r.status !== 0) throw new Error("next build failed (see the output above)");
  fs.writeFileSync(stamp, fingerprint);
}
