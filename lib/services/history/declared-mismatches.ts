import { db, pgRead } from "../../db/client";
import { declaredDisagreement, declaredPosition, type Disagreement } from "../../domain/declared-range";
import { compareKernels, tryParseKernelVersion, type KernelVersion } from "../../domain/kernel-version";
import { compareModuleVersions } from "../../domain/module-version";
import type { Status } from "../../domain/status";

export interface DeclaredMismatch {
  versionId: number;
  version: string;
  kernelId: number;
  kernel: string;
  arch: string;
  status: Status;
  declaredKernelMin: string | null;
  declaredKernelMax: string | null;
  kind: Disagreement;
}

/**
 * Cells whose current status contradicts the kernel range their version declares: declared
 * supported but failing, or declared unsupported but passing. Versions without a range are skipped.
 */
export async function listDeclaredMismatches(moduleId: number): Promise<{ declaredVersions: number; mismatches: DeclaredMismatch[] }> {
  // node-pg (pgRead): on every history page, and on a module page when its kept columns are new
  const versions = await pgRead<{ id: number; version: string; declaredKernelMin: string | null; declaredKernelMax: string | null }>(
    `SELECT id, version, "declaredKernelMin", "declaredKernelMax" FROM "ModuleVersion"
     WHERE "moduleId" = $1 AND ("declaredKernelMin" IS NOT NULL OR "declaredKernelMax" IS NOT NULL)`,
    [moduleId],
  );
  if (versions.length === 0) return { declaredVersions: 0, mismatches: [] };
  const rows = await pgRead<{ moduleVersionId: number; kernelId: number; arch: string; status: string; kernel: string }>(
    `SELECT c."moduleVersionId", c."kernelId", c.arch, c.status, k.version AS kernel
     FROM "Cell" c JOIN "Kernel" k ON k.id = c."kernelId"
     WHERE c."moduleVersionId" = ANY($1::int[]) AND c.status IN ('pass', 'fail')`,
    [versions.map((v) => v.id)],
  );
  const cells = rows.map((r) => ({ ...r, kernel: { version: r.kernel } }));
  const byId = new Map(versions.map((v) => [v.id, v]));
  // Each kernel is parsed once, however many versions were built on it.
  const parsed = new Map<string, KernelVersion | null>();
  const kernelOf = (k: string) => {
    if (!parsed.has(k)) {
      const r = tryParseKernelVersion(k);
      parsed.set(k, r.ok ? r.value : null);
    }
    return parsed.get(k)!;
  };
  const mismatches = cells.flatMap((c): DeclaredMismatch[] => {
    const v = byId.get(c.moduleVersionId)!;
    const status = c.status as Status;
    const k = kernelOf(c.kernel.version);
    const kind = k && declaredDisagreement(declaredPosition(k, { min: v.declaredKernelMin, max: v.declaredKernelMax }), status);
    if (!kind) return [];
    return [{ versionId: v.id, version: v.version, kernelId: c.kernelId, kernel: c.kernel.version, arch: c.arch, status, declaredKernelMin: v.declaredKernelMin, declaredKernelMax: v.declaredKernelMax, kind }];
  });
  mismatches.sort((a, b) => compareModuleVersions(b.version, a.version) || compareKernels(a.kernel, b.kernel) || (a.arch < b.arch ? -1 : 1));
  return { declaredVersions: versions.length, mismatches };
}

/**
 * For the matrix: "versionId:kernelId" → disagreement, for the cells the matrix shows: only `arch`
 * when the matrix is filtered to one, arches folded otherwise (any disagreeing arch marks the cell),
 * and only the kernels in `kernelIds` (the columns left after the other filters).
 */
export async function declaredMismatchIndex(slug: string, opts: { arch?: string | null; kernelIds?: ReadonlySet<number> } = {}): Promise<Map<string, Disagreement>> {
  const mod = await db().module.findUnique({ where: { slug }, select: { id: true } });
  if (!mod) return new Map();
  return marksOf((await listDeclaredMismatches(mod.id)).mismatches, opts);
}

/** The matrix's marks (declaredMismatchIndex) from a module's mismatches, already read. */
export function marksOf(mismatches: readonly DeclaredMismatch[], opts: { arch?: string | null; kernelIds?: ReadonlySet<number> } = {}): Map<string, Disagreement> {
  return new Map(
    mismatches.filter((m) => (!opts.arch || m.arch === opts.arch) && (!opts.kernelIds || opts.kernelIds.has(m.kernelId))).map((m) => [`${m.versionId}:${m.kernelId}`, m.kind]),
  );
}
