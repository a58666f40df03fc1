import path from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * The browser tests run against the production build (`npm run build` first), started the way a
 * user starts it (`npm start`), with its own embedded PostgreSQL in .data/e2e-pg that
 * scripts/test.sh wipes before each run, so the demo data is loaded fresh.
 */
const port = Number(process.env.MODCOMPAT_E2E_PORT ?? 3100);
const pgPort = Number(process.env.MODCOMPAT_E2E_PG_PORT ?? 54331);
process.env.MODCOMPAT_E2E_DATABASE_URL = `postgresql://postgres:postgres@127.0.0.1:${pgPort}/modcompat`;
process.env.MODCOMPAT_E2E_BASE_URL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "tests/e2e",
  timeout: 120_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "reports/playwright.json" }]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
    },
    screenshot: "only-on-failure",
  },
  webServer: {
    command: "npx tsx scripts/launch.ts start",
    url: `http://127.0.0.1:${port}/api/v1/modules`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
    stdout: "pipe",
    env: {
      PORT: String(port),
      MODCOMPAT_HOST: "127.0.0.1",
      MODCOMPAT_PG_PORT: String(pgPort),
      MODCOMPAT_PG_DIR: process.env.MODCOMPAT_E2E_PG_DIR ?? path.join(".data", "e2e-pg"),
      DATABASE_URL: "",
      // The specs load many pages from one address within minutes; the limit itself is tested in
      // tests/integration/rate-limit.test.ts.
      MODCOMPAT_RATE_LIMIT_EXPENSIVE: "1000/60",
      // two server processes whatever the machine's cores, as tests/e2e/workers.spec.ts expects
      MODCOMPAT_WORKERS: "2",
    },
  },
});
