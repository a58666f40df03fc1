import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Apply the committed migrations (prisma migrate deploy) to the database at `url`. */
export function migrateDeploy(url: string): void {
  const preload = path.join(root, "scripts/unref-long-timers.cjs");
  const r = spawnSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      CHECKPOINT_DISABLE: "1",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${preload}`.trim(),
    },
    encoding: "utf8",
  });
  if (r.status !== 0) {
    throw new Error(`prisma migrate deploy failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}
