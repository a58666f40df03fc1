import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "@/lib/db/availability";
import { db, type Db } from "@/lib/db/client";
import { inWriteTransaction, TransactionTimeoutError, writerPool, writerStats } from "@/lib/db/write-transaction";
import type { IngestBody } from "@/lib/schemas/ingest";
import { AppError } from "@/lib/services/errors";
import { recordResults } from "@/lib/services/record-results";
import { createToken } from "@/lib/services/tokens";
import { addWebhook } from "@/lib/services/webhooks/subscriptions";
import { ingestBody, postResults, result, uniqueAbi, uniqueTag } from "./helpers";

/**
 * Issue 14: the ingest transaction runs on node-pg (lib/db/write-transaction.ts), with no Prisma
 * query in it (Prisma 6 compiles a plan for every statement, raw ones too), and keeps what the
 * Prisma transaction did: all or nothing, times stored as UTC, the client always released.
 */
const tag = uniqueTag();
const abi = uniqueAbi();
const holder = globalThis as unknown as { __modcompatPrisma?: Db };
const k = (n: number) => `6.1.0-${abi + n}-amd64`;

/** Runs `fn` with the process's Prisma client replaced by one that records and refuses every use. */
async function withoutPrisma<T>(fn: () => Promise<T>): Promise<{ out: T; touched: string[] }> {
  const real = db();
  const touched: string[] = [];
  holder.__modcompatPrisma = new Proxy(real, {
    get(_target, prop) {
      touched.push(String(prop));
      throw new Error(`Prisma used during an ingest: ${String(prop)}`);
    },
  });
  try {
    return { out: await fn(), touched };
  } finally {
    holder.__modcompatPrisma = real;
  }
}

let token: Awaited<ReturnType<typeof createToken>>;
const savedTz = process.env.TZ;

beforeAll(async () => {
  token = await createToken(`nodepg-${tag}`);
  // Every event of every module: the outbox statements run in full during the ingests below.
  await addWebhook({ url: "http://127.0.0.1:9/hook", events: ["incident.opened", "incident.fixed", "kernel.upcoming_broken"] });
});

afterEach(() => {
  process.env.TZ = savedTz;
});

afterAll(async () => {
  await db().webhookSubscription.deleteMany({ where: { url: "http://127.0.0.1:9/hook" } });
});

const scope = () => ({ tokenId: token.id, token: { id: token.id, name: token.name, admin: false, sources: [], modulePatterns: [] } });

describe("the ingest transaction on node-pg", () => {
  it("runs no Prisma query: new entities with metadata, footprints, an incident opened and fixed, the outbox, a replay and a conflict", async () => {
    const mod = `nodepg-${tag}`;
    const source = `nodepg-${tag}`;
    const first: IngestBody = {
      ...ingestBody(source, "r1", [
        result({ module: mod, kernel: k(1), footprint: { symbols: ["b", "a", "a"], headers: ["linux/module.h"] } }),
        result({ module: mod, kernel: k(2), status: "fail", errorLine: "error: implicit declaration of function ‘strlcpy’" }),
        result({ module: mod, kernel: "6.13-rc1", status: "fail", errorLine: "error: boom" }),
      ]),
      modules: [{ slug: mod, name: "Node PG", homepage: "https://example.org/x", versions: [{ version: "1.0.0", releasedAt: "2025-01-01T00:00:00Z" }] }],
      kernels: [{ kernel: k(2), releasedAt: "2025-02-01T00:00:00Z", package: "linux-image-x" }],
    };
    const second: IngestBody = {
      ...ingestBody(source, "r2", [result({ module: mod, moduleVersion: "1.1.0", kernel: k(2) })]),
      modules: [{ slug: mod, description: "now described", versions: [{ version: "1.0.0", declaredKernelMin: "5.10" }] }],
      kernels: [{ kernel: k(1), releasedAt: "2025-01-15T00:00:00Z" }],
    };
    const before = { ...writerStats };
    const { out, touched } = await withoutPrisma(async () => {
      // The whole request, authentication included.
      const res = await postResults(first, { token: token.token });
      expect(res.status).toBe(201);
      const a = (await res.json()) as Awaited<ReturnType<typeof recordResults>>;
      const b = await recordResults(second, scope());
      const replay = await recordResults(first, scope());
      const conflict = await recordResults({ ...first, results: first.results.slice(1) }, scope()).catch((e: unknown) => e);
      return { a, b, replay, conflict };
    });
    expect(touched).toEqual([]);
    expect(out.a).toMatchObject({ stored: 3, replayed: false, created: { modules: 1, moduleVersions: 1, kernels: 3 } });
    expect(out.b).toMatchObject({ stored: 1, replayed: false });
    expect(out.replay).toEqual({ ...out.a, replayed: true });
    expect(out.conflict).toBeInstanceOf(AppError);
    expect((out.conflict as AppError).code).toBe("conflict");
    // four transactions on the write pool: three committed, the conflict rolled back
    expect(writerStats.begun - before.begun).toBe(4);
    expect(writerStats.committed - before.committed).toBe(3);
    expect(writerStats.rolledBack - before.rolledBack).toBe(1);
    expect(writerStats.checkedOut).toBe(0);

    // What was stored, read back through Prisma.
    const m = await db().module.findUniqueOrThrow({ where: { slug: mod }, include: { versions: { orderBy: { version: "asc" } } } });
    expect(m).toMatchObject({ name: "Node PG", homepage: "https://example.org/x", description: "now described", ownerTokenId: token.id });
    expect(m.versions.map((v) => [v.version, v.releasedAt?.toISOString() ?? null, v.declaredKernelMin])).toEqual([
      ["1.0.0", "2025-01-01T00:00:00.000Z", "5.10"],
      ["1.1.0", null, null],
    ]);
    const kernel1 = await db().kernel.findUniqueOrThrow({ where: { version: k(1) } });
    const kernel2 = await db().kernel.findUniqueOrThrow({ where: { version: k(2) } });
    expect(kernel1.releasedAt?.toISOString()).toBe("2025-01-15T00:00:00.000Z");
    expect([kernel2.releasedAt?.toISOString(), kernel2.package]).toEqual(["2025-02-01T00:00:00.000Z", "linux-image-x"]);
    const fp = await db().footprint.findMany({ where: { moduleVersion: { moduleId: m.id } } });
    expect(fp.map((f) => [f.symbols, f.headers, f.references])).toEqual([[["a", "b"], ["linux/module.h"], []]]);
    const incidents = await db().incident.findMany({ where: { moduleId: m.id }, include: { versions: true } });
    expect(incidents.map((i) => [i.status, i.versions.length])).toEqual([["fixed", 1]]);
    const outbox = await db().webhookDelivery.findMany({ where: { eventKey: { in: [`incident.opened:${incidents[0].id}`, `incident.fixed:${incidents[0].id}`] } } });
    expect(outbox.map((d) => d.event).sort()).toEqual(["incident.fixed", "incident.opened"]);
    expect(await db().source.findUnique({ where: { name: source } })).toMatchObject({ ownerTokenId: token.id });
    const used = await db().apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(Math.abs(used.lastUsedAt!.getTime() - Date.now())).toBeLessThan(10 * 60_000);
  });

  it("stores times as UTC whatever the process's time zone", async () => {
    process.env.TZ = "America/Los_Angeles";
    expect(new Date("2026-01-02T00:00:00Z").getTimezoneOffset()).not.toBe(0);
    const mod = `nodepg-tz-${tag}`;
    const sent = Date.now();
    await recordResults(
      {
        ...ingestBody(`nodepg-tz-${tag}`, "r1", [result({ module: mod, kernel: k(10), finishedAt: "2026-01-02T03:04:05.678Z" })], { startedAt: "2026-01-02T01:00:00Z" }),
        modules: [{ slug: mod, versions: [{ version: "1.0.0", releasedAt: "2025-06-30T23:30:00Z" }] }],
        kernels: [{ kernel: k(10), releasedAt: "2025-12-31T22:00:00Z" }],
      },
      scope(),
    );
    const run = await db().run.findFirstOrThrow({ where: { source: `nodepg-tz-${tag}` }, include: { results: true } });
    expect(run.startedAt?.toISOString()).toBe("2026-01-02T01:00:00.000Z");
    expect(run.results[0].finishedAt.toISOString()).toBe("2026-01-02T03:04:05.678Z");
    expect(Math.abs(run.receivedAt.getTime() - sent)).toBeLessThan(10 * 60_000);
    const cell = await db().cell.findFirstOrThrow({ where: { moduleVersion: { module: { slug: mod } } } });
    expect(cell.lastResultAt.toISOString()).toBe("2026-01-02T03:04:05.678Z");
    expect((await db().kernel.findUniqueOrThrow({ where: { version: k(10) } })).releasedAt?.toISOString()).toBe("2025-12-31T22:00:00.000Z");
    const v = await db().moduleVersion.findFirstOrThrow({ where: { module: { slug: mod } } });
    expect(v.releasedAt?.toISOString()).toBe("2025-06-30T23:30:00.000Z");
  });

  it("rolls back on an error mid-transaction: nothing stored, the client released, the pool usable", async () => {
    const mod = `nodepg-rb-${tag}`;
    const source = `nodepg-rb-${tag}`;
    // A statement of the transaction fails after the source, module, version, kernels and run are written.
    await db().$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION nodepg_rollback_probe() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW."errorLine" = 'rollback-probe' THEN RAISE EXCEPTION 'rollback probe'; END IF; RETURN NEW; END $$`);
    await db().$executeRawUnsafe(`CREATE TRIGGER nodepg_rollback_probe BEFORE INSERT ON "Result" FOR EACH ROW EXECUTE FUNCTION nodepg_rollback_probe()`);
    const before = { ...writerStats };
    try {
      const body = ingestBody(source, "r1", [result({ module: mod, kernel: k(20) }), result({ module: mod, kernel: k(21), status: "fail", errorLine: "rollback-probe" })]);
      await expect(recordResults(body, scope())).rejects.toThrow(/rollback probe/);
    } finally {
      await db().$executeRawUnsafe(`DROP TRIGGER nodepg_rollback_probe ON "Result"`);
      await db().$executeRawUnsafe(`DROP FUNCTION nodepg_rollback_probe()`);
    }
    expect(writerStats.rolledBack - before.rolledBack).toBe(1);
    expect(writerStats.committed - before.committed).toBe(0);
    expect(writerStats.checkedOut).toBe(0);
    const pool = writerPool();
    expect(pool.totalCount - pool.idleCount).toBe(0);
    expect(await db().source.findUnique({ where: { name: source } })).toBeNull();
    expect(await db().run.findFirst({ where: { source } })).toBeNull();
    expect(await db().module.findUnique({ where: { slug: mod } })).toBeNull();
    expect(await db().kernel.count({ where: { version: { in: [k(20), k(21)] } } })).toBe(0);
    // The same body goes through afterwards, on the same pool.
    const again = await recordResults(ingestBody(source, "r1", [result({ module: mod, kernel: k(20) })]), scope());
    expect(again).toMatchObject({ stored: 1, replayed: false });
  });

  it("a connection lost between two statements fails the transaction (a 503), not the process", async () => {
    const before = { ...writerStats };
    const err = await inWriteTransaction(async (tx) => {
      const [{ pid }] = await tx.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`, []);
      // Killed from another connection while this transaction is between statements.
      await db().$queryRawUnsafe(`SELECT pg_terminate_backend($1)::text`, pid);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await tx.query(`SELECT 1`, []);
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(writerStats.rolledBack - before.rolledBack).toBe(1);
    expect(writerStats.checkedOut).toBe(0);
    expect(await inWriteTransaction((tx) => tx.query<{ one: number }>(`SELECT 1 AS one`, []))).toEqual([{ one: 1 }]);
  });

  it("rolls back a transaction past its timeout and releases its client", async () => {
    const name = `nodepg-timeout-${tag}`;
    const before = { ...writerStats };
    await expect(
      inWriteTransaction(
        async (tx) => {
          await tx.query(`INSERT INTO "Source" (name) VALUES ($1)`, [name]);
          await tx.query(`SELECT pg_sleep(5)`, []);
        },
        { timeoutMs: 300 },
      ),
    ).rejects.toBeInstanceOf(TransactionTimeoutError);
    expect(writerStats.rolledBack - before.rolledBack).toBe(1);
    expect(writerStats.checkedOut).toBe(0);
    expect(await db().source.findUnique({ where: { name } })).toBeNull();
    // The pool gives a working client again.
    expect(await inWriteTransaction((tx) => tx.query<{ one: number }>(`SELECT 1 AS one`, []))).toEqual([{ one: 1 }]);
  });
});
