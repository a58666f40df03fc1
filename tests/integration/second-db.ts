import pg from "pg";
import { createPrisma, db } from "@/lib/db/client";
import { migrateDeploy } from "@/lib/db/migrate";

/**
 * A second, empty, migrated database on the test server, and a way to run service code against it:
 * services use the process-wide client of lib/db/client.ts, which is swapped for the duration.
 */
export async function emptyDatabase(baseUrl: string, name: string): Promise<{ url: string; use<T>(fn: () => Promise<T>): Promise<T>; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  migrateDeploy(url.toString());
  const client = createPrisma(url.toString());
  const holder = globalThis as unknown as { __modcompatPrisma?: ReturnType<typeof db> };
  return {
    url: url.toString(),
    async use<T>(fn: () => Promise<T>): Promise<T> {
      const saved = db();
      holder.__modcompatPrisma = client;
      try {
        return await fn();
      } finally {
        holder.__modcompatPrisma = saved;
      }
    },
    async drop() {
      await client.$disconnect();
      const a = new pg.Client({ connectionString: baseUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}

/** A module's matrix with database ids replaced by names, for comparing two databases. */
export async function namedMatrix(slug: string) {
  const cells = await db().cell.findMany({
    where: { moduleVersion: { module: { slug } } },
    include: { kernel: { select: { version: true } }, moduleVersion: { select: { version: true, declaredKernelMin: true, declaredKernelMax: true } } },
  });
  return cells
    .map((c) => ({
      version: c.moduleVersion.version,
      declared: [c.moduleVersion.declaredKernelMin, c.moduleVersion.declaredKernelMax],
      kernel: c.kernel.version,
      arch: c.arch,
      status: c.status,
      counts: [c.passCount, c.failCount, c.errorCount, c.skipCount],
      errorLine: c.errorLine,
      lastResultAt: c.lastResultAt.toISOString(),
      logUrl: c.logUrl,
    }))
    .sort((a, b) => `${a.version} ${a.kernel} ${a.arch}`.localeCompare(`${b.version} ${b.kernel} ${b.arch}`));
}
