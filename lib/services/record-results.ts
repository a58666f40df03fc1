import { createHash } from "node:crypto";
import { recordFootprints } from "./footprints/record-footprints";
import { inWriteTransaction } from "../db/write-transaction";
import { sql, utcTimestamp, type SqlRunner } from "../db/sql";
import { extractErrorLine, excerptLog, normaliseErrorLine } from "../domain/error-line";
import type { IngestBody, IngestResponse, KernelInfo } from "../schemas/ingest";
import { AppError } from "./errors";
import { insertResultsAndFoldCells } from "./recompute-cells";
import { kernelColumns, moduleVersionColumns, type KernelColumns } from "./stored-keys";
import { kernelLine, parseKernelVersion } from "../domain/kernel-version";
import { updateIncidents } from "./regressions/update-incidents";
import { enqueueWebhookEvents } from "./webhooks/enqueue-events";
import { Prisma } from "../generated/prisma/client";
import { authorizeIngest, type TokenScope } from "./authorize-ingest";
import { lockIngestKeys } from "./regressions/lock";
import { noteResultsChanged, RESULTS_CHANNEL } from "./check/results-listener";

export interface RecordOptions {
  tokenId?: number | null;
  /** the posting token's scopes; none for trusted local callers (lib/services/authorize-ingest.ts) */
  token?: TokenScope | null;
  /** the time of receipt, for results that carry no time of their own */
  now?: Date;
}

/**
 * Stable JSON (sorted keys) so that a replayed body hashes the same whatever its key order. Written
 * into one list of pieces (a 5,000-result body is some 60,000 values: no string per subtree).
 * Keys sort by UTF-16 code units, as `<` compares them.
 */
export function canonical(value: unknown): string {
  const out: string[] = [];
  writeCanonical(value, out);
  return out.join("");
}

function writeCanonical(value: unknown, out: string[]): void {
  if (Array.isArray(value)) {
    out.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(",");
      writeCanonical(value[i], out);
    }
    out.push("]");
  } else if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    out.push("{");
    for (let i = 0; i < keys.length; i++) {
      out.push(i > 0 ? `,${JSON.stringify(keys[i])}:` : `${JSON.stringify(keys[i])}:`);
      writeCanonical(obj[keys[i]], out);
    }
    out.push("}");
  } else {
    // undefined (an array hole) writes nothing, as join wrote it before
    const text = JSON.stringify(value) as string | undefined;
    if (text !== undefined) out.push(text);
  }
}

/** Batches of at most this many results run named statements on generic plans (see storeResults). */
export const GENERIC_PLANS_UP_TO = 32;

const toDate = (s: string | undefined | null) => (s ? new Date(s) : null);

/**
 * Store one reporter run: modules, versions and kernels are created on the fly, results are
 * inserted and the affected cell summaries recomputed, all in one transaction. Replaying the same
 * source + run id with the same body stores nothing and answers the first answer again.
 */
export async function recordResults(body: IngestBody, opts: RecordOptions = {}): Promise<IngestResponse> {
  const out = await storeResults(body, opts);
  // Kept check answers (check-answer.ts) of this process are judged again from now on.
  if (!out.replayed) noteResultsChanged();
  return out;
}

async function storeResults(body: IngestBody, opts: RecordOptions): Promise<IngestResponse> {
  const bodyHash = createHash("sha256").update(canonical(body)).digest("hex");
  const now = opts.now ?? new Date();
  const phases = process.env.MODCOMPAT_INGEST_PHASES === "1" ? phaseTimer() : null;
  const small = body.results.length <= GENERIC_PLANS_UP_TO;
  // On node-pg, not Prisma (lib/db/write-transaction.ts): no plan compile per statement (issue 14).
  return inWriteTransaction(
    async (tx) => {
      phases?.("begin");
      // Ingests touching a common module (or source) are serialised: each one recomputes cells from
      // what is committed, so two concurrent batches touching the same cell must not interleave.
      await lockIngestKeys(tx, { source: body.run.source, moduleSlugs: [...body.results.map((r) => r.module), ...(body.modules ?? []).map((m) => m.slug)] });
      await authorizeIngest(tx, body, opts.token);
      const [existing] = await sql<{ bodyHash: string; summary: unknown }>(
        tx,
        Prisma.sql`SELECT "bodyHash", summary FROM "Run" WHERE source = ${body.run.source} AND "externalId" = ${body.run.id}`,
      );
      if (existing) {
        if (existing.bodyHash !== bodyHash) {
          throw new AppError(
            "conflict",
            `run "${body.run.id}" of source "${body.run.source}" was already recorded with different content; use a new run id`,
          );
        }
        return { ...(existing.summary as unknown as Omit<IngestResponse, "replayed">), replayed: true };
      }
      phases?.("lock+auth+replay");
      const created = await ensureEntities(tx, body, opts.tokenId ?? null);
      phases?.("entities");
      const env = body.run.environment ?? {};
      const meta = body.run.meta === undefined || body.run.meta === null ? null : JSON.stringify(body.run.meta);
      const [run] = await sql<{ id: number; source: string; externalId: string }>(
        tx,
        Prisma.sql`
        INSERT INTO "Run" (source, "externalId", url, "startedAt", "finishedAt", arch, compiler, distro, host, meta, "resultCount", "bodyHash", summary, "tokenId", "receivedAt")
        VALUES (${body.run.source}, ${body.run.id}, ${body.run.url ?? null}::text, ${utcTimestamp(utcText(body.run.startedAt))}, ${utcTimestamp(utcText(body.run.finishedAt))},
                ${env.arch ?? null}::text, ${env.compiler ?? null}::text, ${env.distro ?? null}::text, ${env.host ?? null}::text, ${meta}::jsonb,
                ${body.results.length}::int, ${bodyHash}, '{}'::jsonb, ${opts.tokenId ?? null}::int, (now() AT TIME ZONE 'UTC')::timestamp(3))
        RETURNING id, source, "externalId"`,
      );
      const fallbackTime = toDate(body.run.finishedAt) ?? toDate(body.run.startedAt) ?? now;
      const rows = body.results.map((r) => {
        const moduleVersionId = created.versionIds.get(`${r.module}@${r.moduleVersion}`)!;
        const kernelId = created.kernelIds.get(r.kernel)!;
        const cut = r.log ? excerptLog(r.log) : null;
        return {
          runId: run.id,
          moduleVersionId,
          kernelId,
          arch: r.arch,
          stage: r.stage,
          status: r.status,
          durationMs: r.durationMs ?? null,
          logExcerpt: cut?.excerpt ?? null,
          logTruncated: (r.logTruncated ?? false) || (cut?.truncated ?? false),
          logUrl: r.logUrl ?? null,
          errorLine: r.status === "pass" ? null : r.errorLine ? normaliseErrorLine(r.errorLine) : extractErrorLine(r.log),
          compiler: r.compiler ?? env.compiler ?? null,
          finishedAt: toDate(r.finishedAt) ?? fallbackTime,
        };
      });
      await recordFootprints(tx, { runId: run.id, results: body.results, versionIds: created.versionIds, kernelIds: created.kernelIds });
      phases?.("run+footprints");
      // One statement inserts the results and folds their cells (recompute-cells.ts).
      const cells = await insertResultsAndFoldCells(tx, { runId: run.id, rows });
      const cellsUpdated = cells.written;
      phases?.("results+cells+states");
      // Incidents live per module × arch × kernel line (lib/domain/regressions.ts) and are detected
      // from the cells' summaries: only the grids holding a cell whose summary this body changed are
      // detected again (a re-run that confirms what a cell said changes nothing), from their cells.
      const moduleOfVersion = new Map<number, number>();
      for (const r of body.results) moduleOfVersion.set(created.versionIds.get(`${r.module}@${r.moduleVersion}`)!, created.moduleIds.get(r.module)!);
      const kernelOf = new Map([...created.kernelIds].map(([version, id]) => [id, version]));
      const grids = new Map<string, { moduleId: number; arch: string; line: string; touched: { moduleVersionId: number; kernelId: number }[] }>();
      const lineOf = new Map<number, string>();
      for (const c of cells.changed) {
        const moduleId = moduleOfVersion.get(c.moduleVersionId)!;
        let line = lineOf.get(c.kernelId);
        if (line === undefined) lineOf.set(c.kernelId, (line = kernelLine(kernelOf.get(c.kernelId)!)));
        const id = `${moduleId}|${c.arch}|${line}`;
        let grid = grids.get(id);
        if (!grid) grids.set(id, (grid = { moduleId, arch: c.arch, line, touched: [] }));
        grid.touched.push({ moduleVersionId: c.moduleVersionId, kernelId: c.kernelId });
      }
      // A kernel newly dated moves the incidents of every module built on it, not only this body's.
      const redated = created.redatedKernelIds.length
        ? await sql<{ moduleId: number }>(tx, Prisma.sql`SELECT DISTINCT "moduleId" FROM "Cell" WHERE "kernelId" = ANY(${created.redatedKernelIds}::int[])`)
        : [];
      // A version newly dated may date a fix in any grid of its module (declared ranges are not detection input).
      const whole = new Set([...redated.map((c) => c.moduleId), ...created.versionsChanged]);
      await updateIncidents(tx, { moduleIds: [...whole], grids: [...grids.values()].filter((g) => !whole.has(g.moduleId)) });
      phases?.("incidents");
      await enqueueWebhookEvents(tx, { runId: run.id });
      const summary: Omit<IngestResponse, "replayed"> = {
        run: { id: run.id, source: run.source, externalId: run.externalId },
        stored: rows.length,
        created: created.counts,
        cellsUpdated,
      };
      // The notification is delivered at commit to every process that keeps check answers (results-listener.ts).
      await sql(
        tx,
        Prisma.sql`
        WITH s AS (UPDATE "Run" SET summary = ${JSON.stringify(summary)}::jsonb WHERE id = ${run.id} RETURNING id)
        SELECT pg_notify(${RESULTS_CHANNEL}, '')::text FROM s`,
      );
      phases?.("webhooks+summary", true);
      return { ...summary, replayed: false };
    },
    // A large batch's statements go out unnamed, planned for their real sizes at every run, as
    // before named statements: named, PostgreSQL soon kept a generic plan for them (plan_cache_mode
    // auto prefers its cheap estimate for ten rows), and the 10 M bench's seeding ran at half its
    // speed; forcing custom plans instead re-plans every foreign-key check of the batch's rows
    // (PostgreSQL's own triggers follow the same setting): a 20,000-result insert 1.6 → 2.6–3.1 s.
    // A small batch's statements are planned once per connection (named, generic plans, which
    // assume arrays of about ten elements: its real size), the mode set with BEGIN.
    { timeoutMs: 120_000, namedStatements: small, planCacheMode: small ? "force_generic_plan" : undefined },
  );
}

/** MODCOMPAT_INGEST_PHASES=1: print how long each step of an ingest took (for profiling). */
function phaseTimer() {
  let last = performance.now();
  const out: string[] = [];
  return (name: string, done = false) => {
    const t = performance.now();
    out.push(`${name} ${(t - last).toFixed(0)}`);
    last = t;
    if (done) console.log(`[ingest] ${out.join(", ")} ms`);
  };
}

/**
 * Every date says where it came from: the reporter's source text, or, when it sent none, the run
 * that reported it. A source sent without a date is ignored (there is nothing it would describe).
 */
function dateSource(source: string | undefined, body: IngestBody): string {
  return source ?? `reported by ${body.run.source} run ${body.run.id}, without a source`;
}

/** The Kernel columns a `kernels[]` entry sets; absent fields are left out, so they never erase. */
function kernelMetadata(info: KernelInfo | undefined, body: IngestBody) {
  if (!info) return {};
  const data: { package?: string; packageVersion?: string; upstreamVersion?: string; releasedAt?: Date; releasedAtSource?: string } = {};
  if (info.package) data.package = info.package;
  if (info.packageVersion) data.packageVersion = info.packageVersion;
  if (info.upstreamVersion) data.upstreamVersion = info.upstreamVersion;
  if (info.releasedAt) {
    data.releasedAt = new Date(info.releasedAt);
    data.releasedAtSource = dateSource(info.releasedAtSource, body);
  }
  return data;
}

/** The SQL type of each column kernelColumns derives, for the ingest's one-statement insert of new kernels. */
const KERNEL_COLUMN_TYPES: Record<keyof KernelColumns, string> = {
  sortKey: "text",
  line: "text",
  base: "text",
  series: "text",
  seriesKey: "text",
  major: "int",
  minor: "int",
  patch: "int",
  rc: "int",
  distro: "text",
  distroRelease: "text",
  flavour: "text",
};

/** The columns moduleVersionColumns derives that the ingest's insert writes: tsc fails here when it derives one more. */
const MODULE_VERSION_COLUMNS_WRITTEN: Record<keyof ReturnType<typeof moduleVersionColumns>, true> = { sortKey: true };
void MODULE_VERSION_COLUMNS_WRITTEN;

/**
 * `"column" = value` for an UPDATE's SET list, where undefined keeps the stored value (as Prisma's
 * update data does) and null clears it. Times come as ISO text.
 */
function keepUnless(column: string, value: string | boolean | null | undefined, type: "text" | "timestamp" | "boolean" = "text"): Prisma.Sql {
  const name = Prisma.raw(`"${column}"`);
  if (value === undefined) return Prisma.sql`${name} = ${name}`;
  if (type === "timestamp") return Prisma.sql`${name} = ${utcTimestamp(value as string | null)}`;
  return Prisma.sql`${name} = ${value}::${Prisma.raw(type)}`;
}

/** A date as the text PostgreSQL turns into a `timestamp(3)` holding UTC (how Prisma stores DateTime). */
const utcText = (s: string | undefined | null) => (s ? new Date(s).toISOString() : null);

/**
 * Finds or creates the modules, module versions and kernels a body names. Set-based: one statement
 * each in the common case (an insert of the missing rows that also returns the existing ones), so an
 * ingest pays a few round trips here, not one per Prisma call.
 */
async function ensureEntities(tx: SqlRunner, body: IngestBody, ownerTokenId: number | null) {
  const info = new Map((body.modules ?? []).map((m) => [m.slug, m]));
  const slugs = [...new Set([...body.results.map((r) => r.module), ...info.keys()])].sort();

  // The SELECT half reads the rows that existed when the statement began; the INSERT's RETURNING
  // gives the ones it created. Modules are locked per slug (lockIngestKeys), so no other ingest
  // creates one of these meanwhile.
  const modules = await sql<{ id: number; slug: string; created: boolean }>(
    tx,
    Prisma.sql`
    WITH want AS (
      SELECT * FROM unnest(${slugs}::text[], ${slugs.map((s) => info.get(s)?.name ?? s)}::text[],
                           ${slugs.map((s) => info.get(s)?.homepage ?? null)}::text[], ${slugs.map((s) => info.get(s)?.description ?? null)}::text[])
        AS w(slug, name, homepage, description)
    ), ins AS (
      INSERT INTO "Module" (slug, name, homepage, description, "ownerTokenId")
      SELECT slug, name, homepage, description, ${ownerTokenId}::int FROM want ORDER BY slug
      ON CONFLICT (slug) DO NOTHING
      RETURNING id, slug
    )
    SELECT id, slug, true AS created FROM ins
    UNION ALL
    SELECT m.id, m.slug, false FROM "Module" m JOIN want w ON w.slug = m.slug`,
  );
  const known = new Set(modules.filter((m) => !m.created).map((m) => m.slug));
  for (const m of info.values()) {
    // null clears homepage/description; authorizeIngest allowed only the owner or an admin to get here with changes.
    if (known.has(m.slug) && (m.name || m.homepage !== undefined || m.description !== undefined)) {
      await sql(
        tx,
        Prisma.sql`UPDATE "Module" SET ${keepUnless("name", m.name)}, ${keepUnless("homepage", m.homepage)}, ${keepUnless("description", m.description)}
                   WHERE slug = ${m.slug} RETURNING id`,
      );
    }
  }
  const moduleIds = new Map(modules.map((m) => [m.slug, m.id]));
  const slugById = new Map(modules.map((m) => [m.id, m.slug]));

  const versionInfo = new Map<string, { moduleId: number; version: string; releasedAt?: string; releasedAtSource?: string; min?: string; max?: string }>();
  for (const r of body.results) versionInfo.set(`${r.module}@${r.moduleVersion}`, { moduleId: moduleIds.get(r.module)!, version: r.moduleVersion });
  for (const m of info.values()) {
    for (const v of m.versions ?? []) {
      versionInfo.set(`${m.slug}@${v.version}`, {
        moduleId: moduleIds.get(m.slug)!,
        version: v.version,
        releasedAt: v.releasedAt,
        releasedAtSource: v.releasedAtSource,
        min: v.declaredKernelMin,
        max: v.declaredKernelMax,
      });
    }
  }
  const wanted = [...versionInfo.values()];
  const versions = await sql<{ id: number; moduleId: number; version: string; created: boolean; releasedAt: Date | null }>(
    tx,
    Prisma.sql`
    WITH want AS (
      SELECT * FROM unnest(${wanted.map((v) => v.moduleId)}::int[], ${wanted.map((v) => v.version)}::text[],
                           ${wanted.map((v) => moduleVersionColumns(v.version).sortKey)}::text[], ${wanted.map((v) => utcText(v.releasedAt))}::text[],
                           ${wanted.map((v) => (v.releasedAt ? dateSource(v.releasedAtSource, body) : null))}::text[],
                           ${wanted.map((v) => v.min ?? null)}::text[], ${wanted.map((v) => v.max ?? null)}::text[])
        AS w(mid, version, sk, rel, src, kmin, kmax)
    ), ins AS (
      INSERT INTO "ModuleVersion" ("moduleId", version, "sortKey", "releasedAt", "releasedAtSource", "declaredKernelMin", "declaredKernelMax")
      SELECT mid, version, sk, (rel::timestamptz AT TIME ZONE 'UTC')::timestamp(3), src, kmin, kmax FROM want ORDER BY mid, version
      ON CONFLICT ("moduleId", version) DO NOTHING
      RETURNING id, "moduleId", version
    )
    SELECT id, "moduleId", version, true AS created, NULL::timestamp(3) AS "releasedAt" FROM ins
    UNION ALL
    SELECT v.id, v."moduleId", v.version, false, v."releasedAt" FROM "ModuleVersion" v JOIN want w ON w.mid = v."moduleId" AND w.version = v.version`,
  );
  // Versions that existed and get another release date: that date may date a fix in any grid of the module.
  const versionsChanged = new Set(
    versions
      .filter((b) => {
        const sent = versionInfo.get(`${slugById.get(b.moduleId)}@${b.version}`)?.releasedAt;
        return !b.created && sent !== undefined && b.releasedAt?.getTime() !== new Date(sent).getTime();
      })
      .map((b) => b.moduleId),
  );
  // Declared ranges and release dates sent for a version that already exists update it.
  for (const b of versions) {
    const v = versionInfo.get(`${slugById.get(b.moduleId)}@${b.version}`)!;
    if (!b.created && (v.releasedAt || v.min || v.max)) {
      await sql(
        tx,
        Prisma.sql`
        UPDATE "ModuleVersion" SET ${keepUnless("releasedAt", utcText(v.releasedAt) ?? undefined, "timestamp")},
          ${keepUnless("releasedAtSource", v.releasedAt ? dateSource(v.releasedAtSource, body) : undefined)},
          ${keepUnless("declaredKernelMin", v.min)}, ${keepUnless("declaredKernelMax", v.max)}
        WHERE id = ${b.id} RETURNING id`,
      );
    }
  }
  const versionIds = new Map(versions.map((v) => [`${slugById.get(v.moduleId)}@${v.version}`, v.id]));

  // Kernels named only in `kernels` are created too, with their metadata and no results, so a
  // reporter can date kernels before (or without) building on them.
  const kernelInfo = new Map((body.kernels ?? []).map((k) => [k.kernel, k]));
  // Sorted: concurrent batches insert shared new kernels in one order (no unique-index deadlock).
  const kernelStrings = [...new Set([...body.results.map((r) => r.kernel), ...kernelInfo.keys()])].sort();
  const kernelsBefore = await sql<{ id: number; version: string; releasedAt: Date | null }>(
    tx,
    Prisma.sql`SELECT id, version, "releasedAt" FROM "Kernel" WHERE version = ANY(${kernelStrings}::text[])`,
  );
  const kernelDatedBefore = new Map(kernelsBefore.map((k) => [k.version, k.releasedAt?.getTime() ?? null]));
  const knownKernels = new Set(kernelsBefore.map((k) => k.version));
  const kernels = kernelsBefore.map((k) => ({ id: k.id, version: k.version }));
  const missing = kernelStrings.filter((k) => !knownKernels.has(k));
  let kernelsCreated = 0;
  if (missing.length) {
    const rows = missing.map((version) => {
      const meta = kernelMetadata(kernelInfo.get(version), body);
      return {
        version,
        ...kernelColumns(version),
        ...meta,
        releasedAt: meta.releasedAt?.toISOString() ?? null,
        prerelease: (kernelInfo.get(version)?.prerelease ?? false) || parseKernelVersion(version).rc !== null,
      };
    });
    // Every column kernelColumns derives (KERNEL_COLUMN_TYPES must name each: tsc says so), then the metadata.
    const derived = Object.keys(KERNEL_COLUMN_TYPES) as (keyof KernelColumns)[];
    const names = Prisma.join(derived.map((c) => Prisma.raw(`"${c}"`)));
    const arrays = Prisma.join(derived.map((c) => Prisma.sql`${rows.map((r) => r[c] ?? null)}::${Prisma.raw(KERNEL_COLUMN_TYPES[c])}[]`));
    const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k] ?? null);
    const inserted = await sql<{ id: number; version: string }>(
      tx,
      Prisma.sql`
      INSERT INTO "Kernel" (version, ${names}, "releasedAt", "releasedAtSource", "upstreamVersion", package, "packageVersion", prerelease)
      SELECT version, ${names}, (rel::timestamptz AT TIME ZONE 'UTC')::timestamp(3), src, uv, pkg, pv, pre
      FROM unnest(${col("version")}::text[], ${arrays}, ${col("releasedAt")}::text[], ${col("releasedAtSource")}::text[], ${col("upstreamVersion")}::text[],
                  ${col("package")}::text[], ${col("packageVersion")}::text[], ${col("prerelease")}::boolean[])
        AS u(version, ${names}, rel, src, uv, pkg, pv, pre)
      ORDER BY version
      ON CONFLICT (version) DO NOTHING
      RETURNING id, version`,
    );
    kernelsCreated = inserted.length;
    kernels.push(...inserted);
    // Another ingest (of another module) created some of them since this one looked: read those now.
    if (inserted.length < missing.length) {
      const got = new Set(inserted.map((k) => k.version));
      const late = missing.filter((k) => !got.has(k));
      kernels.push(...(await sql<{ id: number; version: string }>(tx, Prisma.sql`SELECT id, version FROM "Kernel" WHERE version = ANY(${late}::text[])`)));
      for (const k of late) knownKernels.add(k);
    }
  }
  // Newer metadata overwrites older; a field the reporter left out keeps its stored value.
  const redated: string[] = [];
  // In kernel order, like the inserts: concurrent batches update shared kernel rows in one order.
  for (const info of [...kernelInfo.values()].sort((a, b) => (a.kernel < b.kernel ? -1 : a.kernel > b.kernel ? 1 : 0))) {
    if (!knownKernels.has(info.kernel)) continue;
    // Only a date that changes moves incidents (a demo split into chunks repeats its kernels[]).
    if (info.releasedAt && new Date(info.releasedAt).getTime() !== kernelDatedBefore.get(info.kernel)) redated.push(info.kernel);
    const data = kernelMetadata(info, body);
    const prerelease = info.prerelease === undefined ? undefined : info.prerelease || parseKernelVersion(info.kernel).rc !== null;
    if (Object.keys(data).length > 0 || prerelease !== undefined) {
      await sql(
        tx,
        Prisma.sql`
        UPDATE "Kernel" SET ${keepUnless("package", data.package)}, ${keepUnless("packageVersion", data.packageVersion)}, ${keepUnless("upstreamVersion", data.upstreamVersion)},
          ${keepUnless("releasedAt", data.releasedAt?.toISOString(), "timestamp")}, ${keepUnless("releasedAtSource", data.releasedAtSource)},
          ${keepUnless("prerelease", prerelease, "boolean")}
        WHERE version = ${info.kernel} RETURNING id`,
      );
    }
  }

  return {
    moduleIds,
    versionIds,
    versionsChanged,
    kernelIds: new Map(kernels.map((k) => [k.version, k.id])),
    redatedKernelIds: kernels.filter((k) => redated.includes(k.version)).map((k) => k.id),
    counts: {
      modules: modules.filter((m) => m.created).length,
      moduleVersions: versions.filter((v) => v.created).length,
      kernels: kernelsCreated,
    },
  };
}
