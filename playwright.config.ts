import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

/**
 * e2e: Chromium against the built app started the way a user starts it (`ferry start`, embedded database, demo
 * data), on ports of its own. Debian's chromium where it exists (no browser download here), else Playwright's own.
 */
const PORT = Number(process.env.E2E_PORT ?? 3210);
const INFERENCE_PORT = Number(process.env.E2E_INFERENCE_PORT ?? 8210);
const GRPC_PORT = Number(process.env.E2E_GRPC_PORT ?? 8211);
const dataDir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `ferry-e2e-${process.pid}`);
export const E2E_ADMIN = { email: "admin@ferry.test", password: "ferry-e2e-password" };

const systemChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));
const launchOptions = systemChromium
  ? {
      executablePath: systemChromium,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"],
    }
  : {};

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "test-results/e2e.json" }]] : [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions,
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], viewport: { width: 1400, height: 900 }, storageState: "e2e/.auth/admin.json" },
      dependencies: ["setup"],
    },
  ],
  webServer: {
    command: `rm -rf ${dataDir} && node --import tsx bin/ferry.ts start`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      PORT: String(PORT),
      FERRY_INFERENCE_PORT: String(INFERENCE_PORT),
      FERRY_GRPC_PORT: String(GRPC_PORT),
      FERRY_DATA_DIR: dataDir,
      FERRY_ADMIN_EMAIL: E2E_ADMIN.email,
      FERRY_ADMIN_PASSWORD: E2E_ADMIN.password,
      FERRY_DEMO: "1",
      DATABASE_URL: "",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
