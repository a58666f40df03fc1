import { db, pgRead } from "../db/client";
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
  const support = (await loadModuleSupport([mod.id])).get(mod.id)!;
  if (support.failingSeries.length === 0 || support.version === null) return { support, errors: [] };
  const cells = await db().cell.findMany({
    where: { moduleId: mod.id, status: "fail", moduleVersion: { version: support.version }, kernel: { series: { in: support.failingSeries } } },
    select: { errorLine: true, kernel: { select: { version: true, upstreamVersion: true } } },
  });
  const byLine = new Map<string, SupportError>();
  for (const c of cells.sort((a, b) => compareKernels(a.kernel.version, b.kernel.version))) {
    const line = c.errorLine ?? "no error line reported";
    const e = byLine.get(line) ?? { errorLine: line, signature: extractSignature(c.errorLine), kernels: [] };
    if (!e.kernels.some((k) => k.version === c.kernel.version)) e.kernels.push({ version: c.kernel.version, upstream: upstreamOf(c.kernel) });
    byLine.set(line, e);
  }
  return { support, errors: [...byLine.values()].slice(0, MAX_ERRORS) };
}
