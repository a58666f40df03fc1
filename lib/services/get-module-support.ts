import { pgRead } from "../db/client";
import { compareKernels } from "../domain/kernel-version";
import { upstreamOf } from "../domain/kernel-release";
import { extractSignature, type Signature } from "../domain/signature";
import { notFound } from "./errors";
import { loadModuleSupport, type ModuleSupport } from "./module-support";

export interface SupportError {
  errorLine: string;
  signature: Signature | null;
  /** the kernels of the failing series where this line was the first error, kernel order */
  kernels: { version: string; upstream: string | null }[];
}

export interface ModuleSupportDetail {
  support: ModuleSupport;
  /** why the judged version fails on the series it is behind on, one entry per error line */
  errors: SupportError[];
}

const MAX_ERRORS = 12;

/** A module's support state for its page, with the error lines that keep it behind (or orphaned). */
export async function getModuleSupport(slug: string): Promise<ModuleSupportDetail> {
  const [mod] = await pgRead<{ id: number }>(`SELECT id FROM "Module" WHERE slug = $1`, [slug]);
  if (!mod) throw notFound(`module "${slug}"`);
  return moduleSupportOf(mod.id);
}

/**
 * getModuleSupport by the module's id. What it reads is the module's versions and cells and its
 * kernels' metadata, so it changes only with the module's or the kernels' data stamp
 * (lib/services/data-stamps.ts): the module page keeps it with its matrix columns (get-matrix-page.ts).
 */
export async function moduleSupportOf(moduleId: number): Promise<ModuleSupportDetail> {
  const support = (await loadModuleSupport([moduleId])).get(moduleId)!;
  if (support.failingSeries.length === 0 || support.version === null) return { support, errors: [] };
  // node-pg straight (pgRead): on every module page; Prisma would read the kernels with a statement of their own.
  const rows = await pgRead<{ errorLine: string | null; version: string; upstreamVersion: string | null }>(
    `SELECT c."errorLine", k.version, k."upstreamVersion"
     FROM "Cell" c JOIN "Kernel" k ON k.id = c."kernelId" JOIN "ModuleVersion" mv ON mv.id = c."moduleVersionId"
     WHERE c."moduleId" = $1 AND c.status = 'fail' AND mv.version = $2 AND k.series = ANY($3::text[])
     ORDER BY c."kernelId", c.arch`,
    [moduleId, support.version, support.failingSeries],
  );
  const cells = rows.map((r) => ({ errorLine: r.errorLine, kernel: { version: r.version, upstreamVersion: r.upstreamVersion } }));
  const byLine = new Map<string, SupportError>();
  for (const c of cells.sort((a, b) => compareKernels(a.kernel.version, b.kernel.version))) {
    const line = c.errorLine ?? "no error line reported";
    const e = byLine.get(line) ?? { errorLine: line, signature: extractSignature(c.errorLine), kernels: [] };
    if (!e.kernels.some((k) => k.version === c.kernel.version)) e.kernels.push({ version: c.kernel.version, upstream: upstreamOf(c.kernel) });
    byLine.set(line, e);
  }
  return { support, errors: [...byLine.values()].slice(0, MAX_ERRORS) };
}
