/**
 * KCIDB v5 ⇄ ModCompat results, both directions, pure.
 *
 * A ModCompat result (module version × kernel × arch, one stage) is a KCIDB build when its stage is
 * `build`, and a KCIDB test (path `modcompat.<stage>`) of that build otherwise. The module version
 * is the checkout. What KCIDB has no field for (module, version, kernel, stage, error line) travels
 * in `misc.modcompat`; on import the same fields may come from the query (`?module=&version=&kernel=`)
 * for documents of other origins. `DONE` and a missing status carry no verdict and are not mapped.
 */
import { STAGES, type Stage, type Status } from "../domain/status";
import { resultSchema, type IngestResult, type ModuleInfo } from "../schemas/ingest";
import { KCIDB_ORIGIN, KCIDB_VERSION, type KcidbBuild, type KcidbCheckout, type KcidbDocument, type KcidbStatus, type KcidbTest, type ModcompatMisc } from "./types";

export const TO_KCIDB_STATUS: Record<Status, KcidbStatus> = { pass: "PASS", fail: "FAIL", error: "ERROR", skip: "SKIP" };
const FROM_KCIDB_STATUS: Record<KcidbStatus, Status | null> = { PASS: "pass", FAIL: "fail", ERROR: "error", MISS: "error", SKIP: "skip", DONE: null };

export interface MapDefaults {
  module?: string;
  version?: string;
  kernel?: string;
  arch?: string;
}

export interface Unmapped {
  kind: "build" | "test";
  id: string;
  reason: string;
}

export interface MappedDocument {
  results: IngestResult[];
  /** the KCIDB id each result came from, index for index */
  sourceIds: string[];
  modules: ModuleInfo[];
  origins: string[];
  unmapped: Unmapped[];
  ignored: { issues: number; incidents: number };
}

interface Context {
  module?: string;
  version?: string;
  kernel?: string;
  arch?: string;
}

const finishedAt = (start?: string, duration?: number) =>
  start ? new Date(Date.parse(start) + Math.round((duration ?? 0) * 1000)).toISOString() : undefined;

function stageOfTest(t: KcidbTest): Stage {
  const named = t.misc?.modcompat?.stage ?? (t.path?.startsWith("modcompat.") ? t.path.slice("modcompat.".length) : undefined);
  return (STAGES as readonly string[]).includes(named ?? "") ? (named as Stage) : "test";
}

function toResult(
  entry: KcidbBuild | KcidbTest,
  ctx: Context,
  stage: Stage,
  compiler: string | undefined,
): { ok: true; result: IngestResult } | { ok: false; reason: string } {
  const missing = (["module", "version", "kernel", "arch"] as const).filter((k) => !ctx[k]);
  if (missing.length) {
    return { ok: false, reason: `no ${missing.join(", ")}: give misc.modcompat.{module,version,kernel} (and the build's architecture), or ?${missing.map((m) => `${m}=`).join("&")}` };
  }
  if (!entry.status) return { ok: false, reason: "no status" };
  const status = FROM_KCIDB_STATUS[entry.status];
  if (!status) return { ok: false, reason: `status ${entry.status} carries no pass/fail verdict` };
  const own: ModcompatMisc = entry.misc?.modcompat ?? {};
  const candidate = {
    module: ctx.module,
    moduleVersion: ctx.version,
    kernel: ctx.kernel,
    arch: ctx.arch,
    stage,
    status,
    ...(entry.duration !== undefined ? { durationMs: Math.max(0, Math.round(entry.duration * 1000)) } : {}),
    ...(entry.log_excerpt ? { log: entry.log_excerpt } : {}),
    ...(own.log_truncated ? { logTruncated: true } : {}),
    ...(entry.log_url ? { logUrl: entry.log_url } : {}),
    ...(own.error_line ? { errorLine: own.error_line } : {}),
    ...(compiler ? { compiler: compiler.slice(0, 200) } : {}),
    ...(entry.start_time ? { finishedAt: finishedAt(entry.start_time, entry.duration) } : {}),
  };
  const parsed = resultSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  return { ok: true, result: parsed.data };
}

/** Map a schema-valid KCIDB document onto ingest results; entries that cannot be mapped are listed, not guessed. */
export function kcidbToResults(doc: KcidbDocument, defaults: MapDefaults = {}): MappedDocument {
  const checkouts = new Map((doc.checkouts ?? []).map((c) => [c.id, c]));
  const builds = new Map((doc.builds ?? []).map((b) => [b.id, b]));
  const withTests = new Set((doc.tests ?? []).map((t) => t.build_id));
  const out: MappedDocument = { results: [], sourceIds: [], modules: [], origins: [], unmapped: [], ignored: { issues: doc.issues?.length ?? 0, incidents: doc.incidents?.length ?? 0 } };
  const origins = new Set<string>();
  const modules = new Map<string, ModuleInfo>();

  const contextOf = (b: KcidbBuild): Context => {
    const c: KcidbCheckout | undefined = checkouts.get(b.checkout_id);
    const bm = b.misc?.modcompat ?? {};
    const cm = c?.misc?.modcompat ?? {};
    const slug = bm.module ?? cm.module ?? defaults.module;
    const version = bm.version ?? cm.version ?? defaults.version;
    if (slug && version && (cm.declared_kernel_min || cm.declared_kernel_max || cm.released_at)) {
      const info = modules.get(slug) ?? { slug, versions: [] };
      if (!info.versions!.some((v) => v.version === version)) {
        info.versions!.push({
          version,
          ...(cm.released_at ? { releasedAt: cm.released_at } : {}),
          ...(cm.declared_kernel_min ? { declaredKernelMin: cm.declared_kernel_min } : {}),
          ...(cm.declared_kernel_max ? { declaredKernelMax: cm.declared_kernel_max } : {}),
        });
      }
      modules.set(slug, info);
    }
    return { module: slug, version, kernel: bm.kernel ?? defaults.kernel, arch: b.architecture || defaults.arch };
  };

  for (const b of builds.values()) {
    // A build with no status that only carries tests is context, not a result.
    if (!b.status && withTests.has(b.id)) continue;
    const stage = (STAGES as readonly string[]).includes(b.misc?.modcompat?.stage ?? "") ? (b.misc!.modcompat!.stage as Stage) : "build";
    const r = toResult(b, contextOf(b), stage, b.compiler);
    if (!r.ok) out.unmapped.push({ kind: "build", id: b.id, reason: r.reason });
    else {
      out.results.push(r.result);
      out.sourceIds.push(b.id);
      origins.add(b.origin);
    }
  }
  for (const t of doc.tests ?? []) {
    const b = builds.get(t.build_id);
    if (!b) {
      out.unmapped.push({ kind: "test", id: t.id, reason: `its build ${t.build_id} is not in this document` });
      continue;
    }
    const tm = t.misc?.modcompat ?? {};
    const ctx = contextOf(b);
    const r = toResult(t, { module: tm.module ?? ctx.module, version: tm.version ?? ctx.version, kernel: tm.kernel ?? ctx.kernel, arch: ctx.arch }, stageOfTest(t), b.compiler);
    if (!r.ok) out.unmapped.push({ kind: "test", id: t.id, reason: r.reason });
    else {
      out.results.push(r.result);
      out.sourceIds.push(t.id);
      origins.add(t.origin);
    }
  }
  out.origins = [...origins].sort();
  out.modules = [...modules.values()];
  return out;
}

/** One stored result with what the export needs of its module version. */
export interface ExportRow {
  id: number;
  runId: number;
  module: string;
  version: string;
  kernel: string;
  arch: string;
  stage: Stage;
  status: Status;
  durationMs: number | null;
  logExcerpt: string | null;
  logTruncated: boolean;
  logUrl: string | null;
  errorLine: string | null;
  compiler: string | null;
  finishedAt: Date;
  releasedAt: Date | null;
  declaredKernelMin: string | null;
  declaredKernelMax: string | null;
}

const LOG_EXCERPT_MAX = 16384;

/** Our results as one KCIDB v5.3 document of origin "modcompat". */
export function resultsToKcidb(rows: readonly ExportRow[]): KcidbDocument {
  const checkouts = new Map<string, KcidbCheckout>();
  const builds: KcidbBuild[] = [];
  const tests: KcidbTest[] = [];
  const cellBuild = new Map<string, string>();
  const cellKey = (r: ExportRow) => `${r.runId}/${r.module}@${r.version}/${r.kernel}/${r.arch}`;
  const timing = (r: ExportRow) => ({
    start_time: new Date(r.finishedAt.getTime() - (r.durationMs ?? 0)).toISOString(),
    ...(r.durationMs !== null ? { duration: r.durationMs / 1000 } : {}),
  });
  const common = (r: ExportRow) => ({
    ...timing(r),
    ...(r.logUrl ? { log_url: r.logUrl } : {}),
    ...(r.logExcerpt ? { log_excerpt: r.logExcerpt.slice(0, LOG_EXCERPT_MAX) } : {}),
    status: TO_KCIDB_STATUS[r.status],
  });
  const own = (r: ExportRow, extra: ModcompatMisc = {}): { modcompat: ModcompatMisc } => ({
    modcompat: {
      module: r.module,
      version: r.version,
      kernel: r.kernel,
      ...extra,
      ...(r.errorLine ? { error_line: r.errorLine } : {}),
      ...(r.logTruncated ? { log_truncated: true } : {}),
    },
  });

  for (const r of rows) {
    const checkoutId = `${KCIDB_ORIGIN}:${r.module}@${r.version}`;
    if (!checkouts.has(checkoutId)) {
      checkouts.set(checkoutId, {
        id: checkoutId,
        origin: KCIDB_ORIGIN,
        tree_name: r.module,
        git_commit_name: r.version,
        comment: `${r.module} ${r.version}`,
        misc: {
          modcompat: {
            module: r.module,
            version: r.version,
            ...(r.declaredKernelMin ? { declared_kernel_min: r.declaredKernelMin } : {}),
            ...(r.declaredKernelMax ? { declared_kernel_max: r.declaredKernelMax } : {}),
            ...(r.releasedAt ? { released_at: r.releasedAt.toISOString().slice(0, 10) } : {}),
          },
        },
      });
    }
    const base = { checkout_id: checkoutId, origin: KCIDB_ORIGIN, architecture: r.arch, config_name: r.kernel, ...(r.compiler ? { compiler: r.compiler } : {}) };
    if (r.stage === "build" && !cellBuild.has(cellKey(r))) {
      const id = `${KCIDB_ORIGIN}:result-${r.id}`;
      cellBuild.set(cellKey(r), id);
      builds.push({ id, ...base, ...common(r), misc: own(r) });
    }
  }
  for (const r of rows) {
    const buildId = cellBuild.get(cellKey(r));
    if (r.stage === "build" && buildId === `${KCIDB_ORIGIN}:result-${r.id}`) continue;
    let parent = buildId;
    if (!parent) {
      // No build result in that run: a status-less build stands for the build the stages ran on.
      parent = `${KCIDB_ORIGIN}:run-${r.runId}-${r.module}@${r.version}-${r.kernel}-${r.arch}`;
      cellBuild.set(cellKey(r), parent);
      builds.push({ id: parent, checkout_id: `${KCIDB_ORIGIN}:${r.module}@${r.version}`, origin: KCIDB_ORIGIN, architecture: r.arch, config_name: r.kernel, misc: own(r) });
    }
    tests.push({ id: `${KCIDB_ORIGIN}:result-${r.id}`, build_id: parent, origin: KCIDB_ORIGIN, path: `modcompat.${r.stage}`, ...common(r), misc: own(r, { stage: r.stage }) });
  }
  return { version: { ...KCIDB_VERSION }, checkouts: [...checkouts.values()], builds, tests };
}
