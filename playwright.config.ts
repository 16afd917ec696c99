import { defineConfig } from "@playwright/test";
import { EMBEDDED_PG_PORT, SANDBOX_PORT, WEB_PORT as PORT } from "./e2e/ports";

// Debian's Chromium; Playwright's own browser download is not available on every machine.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: "chromium",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  webServer: {
    command: `node --import tsx scripts/dev.ts --production --fresh --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      SANDBOX: "1",
      EMBEDDED_PG_PORT: String(EMBEDDED_PG_PORT),
      SANDBOX_PORT: String(SANDBOX_PORT),
      EXPIRY_SWEEP_SECONDS: "1",
      JOB_POLL_SECONDS: "0.5",
      AWS_POLL_INTERVAL_MS: "50",
      LOG_LEVEL: "warn",
    },
  },
});
