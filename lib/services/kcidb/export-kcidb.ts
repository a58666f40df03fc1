import { db } from "../../db/client";
import { resultsToKcidb, type ExportRow } from "../../kcidb/map";
import type { KcidbDocument } from "../../kcidb/types";
import { MAX_RESULTS_PER_REQUEST } from "../../schemas/ingest";
import { AppError, notFound } from "../errors";
import { resultColumns } from "../result-view";

export interface ExportKcidbQuery {
  module: string;
  version?: string;
}

/** Capped so that any export can be imported again in one request. */
export const KCIDB_EXPORT_MAX_RESULTS = MAX_RESULTS_PER_REQUEST;

/** Every raw result of a module (or of one of its versions) as a KCIDB v5.3 document. */
export async function exportKcidb(q: ExportKcidbQuery): Promise<KcidbDocument> {
  return resultsToKcidb(await loadExportRows(q));
}

/** A module's raw results for the exports (KCIDB, JUnit), capped at KCIDB_EXPORT_MAX_RESULTS. */
export async function loadExportRows(q: ExportKcidbQuery): Promise<ExportRow[]> {
  const mod = await db().module.findUnique({ where: { slug: q.module }, select: { id: true } });
  if (!mod) throw notFound(`module "${q.module}"`);
  const where = { moduleVersion: { moduleId: mod.id, ...(q.version ? { version: q.version } : {}) } };
  const count = await db().result.count({ where });
  if (count > KCIDB_EXPORT_MAX_RESULTS) {
    throw new AppError("validation_failed", `${count} results exceed the export limit of ${KCIDB_EXPORT_MAX_RESULTS}; narrow with version=`);
  }
  const rows = await db().result.findMany({
    where,
    orderBy: { id: "asc" },
    include: { kernel: { select: { version: true } }, moduleVersion: { select: { version: true, releasedAt: true, declaredKernelMin: true, declaredKernelMax: true } } },
  });
  return rows.map((r) => ({
    ...resultColumns(r),
    runId: r.runId,
    module: q.module,
    version: r.moduleVersion.version,
    kernel: r.kernel.version,
    releasedAt: r.moduleVersion.releasedAt,
    declaredKernelMin: r.moduleVersion.declaredKernelMin,
    declaredKernelMax: r.moduleVersion.declaredKernelMax,
  }));
}
