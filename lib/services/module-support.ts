import { pgRead } from "../db/client";
import { upstreamOf } from "../domain/kernel-release";
import { supportSentence, supportState, type SupportVerdict } from "../domain/support-state";
import type { Status } from "../domain/status";

export interface ModuleSupport extends SupportVerdict {
  /** the Linux version lastKernel carries, when known */
  lastKernelUpstream: string | null;
  sentence: string;
}

/**
 * The cells of each module's newest version that has a pass or fail, with their kernels. Per module
 * (LATERAL): the newest such version by the (moduleId, sortKey) index, then its cells by the Cell
 * primary key, so the statement reads only those cells whatever the size of the Cell table. (A plain
 * join let the planner hash the whole Cell table: 10 M rows, half a second, on every module page.)
 * `$1`: the module ids. tests/integration/module-support.test.ts checks the plan.
 */
export const MODULE_SUPPORT_SQL = `
    SELECT n."moduleId", n.version, k.version AS kernel, k.series, k.rc, k.prerelease, k."upstreamVersion", c.status
    FROM unnest($1::int[]) AS m(id)
    CROSS JOIN LATERAL (
      SELECT mv."moduleId", mv.id, mv.version FROM "ModuleVersion" mv
      WHERE mv."moduleId" = m.id
        AND EXISTS (SELECT 1 FROM "Cell" c WHERE c."moduleVersionId" = mv.id AND c.status IN ('pass', 'fail'))
      ORDER BY mv."sortKey" DESC
      LIMIT 1
    ) n
    JOIN "Cell" c ON c."moduleVersionId" = n.id
    JOIN "Kernel" k ON k.id = c."kernelId"`;

/**
 * The support state (lib/domain/support-state.ts) of each module: the cells of its newest version
 * that has a pass or fail, with their kernels, in one statement whatever the number of modules.
 */
export async function loadModuleSupport(moduleIds: readonly number[]): Promise<Map<number, ModuleSupport>> {
  const rows =
    moduleIds.length === 0
      ? []
      : await pgRead<{ moduleId: number; version: string; kernel: string; series: string; rc: number | null; prerelease: boolean; upstreamVersion: string | null; status: string }>(
          MODULE_SUPPORT_SQL,
          [[...moduleIds]],
        );
  const byModule = new Map<number, typeof rows>();
  for (const r of rows) {
    const list = byModule.get(r.moduleId);
    if (list) list.push(r);
    else byModule.set(r.moduleId, [r]);
  }
  const out = new Map<number, ModuleSupport>();
  for (const id of moduleIds) {
    const cells = byModule.get(id) ?? [];
    const v = supportState({ version: cells[0]?.version ?? null, cells: cells.map((c) => ({ ...c, status: c.status as Status })) });
    const last = cells.find((c) => c.kernel === v.lastKernel);
    out.set(id, { ...v, lastKernelUpstream: last ? upstreamOf({ version: last.kernel, upstreamVersion: last.upstreamVersion }) : null, sentence: supportSentence(v) });
  }
  return out;
}
