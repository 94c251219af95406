/**
 * `prisma generate` without the native schema engine: the CLI only needs *some* executable at
 * PRISMA_SCHEMA_ENGINE_BINARY to start (ENVIRONMENT.md); generation itself runs in WebAssembly.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";

const bin = path.join(process.cwd(), "node_modules", ".bin", process.platform === "win32" ? "prisma.cmd" : "prisma");
execFileSync(bin, ["generate"], {
  stdio: "inherit",
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
});
