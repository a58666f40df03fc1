import { db } from "../../db/client";
import { kernelLine, kernelSortKey } from "../../domain/kernel-version";

export interface CellIncident {
  id: number;
  status: string;
  arch: string;
  firstBadKernel: string;
  signature: string | null;
  signatureKind: string | null;
  fixedInVersion: string | null;
  fixedInKernel: string | null;
}

/**
 * The regressions a failing cell belongs to: incidents of the module that affect this version on
 * the kernel's line (kernelLine, as regressions walk) and began at or before this kernel; the one
 * that began last first. So the cell panel can link its regression, its fix and its signature.
 */
export async function findCellIncidents(opts: { slug: string; version: string; kernel: string }): Promise<CellIncident[]> {
  const line = kernelLine(opts.kernel);
  const at = kernelSortKey(opts.kernel);
  const rows = await db().incident.findMany({
    where: { module: { slug: opts.slug }, line, versions: { some: { moduleVersion: { version: opts.version } } } },
    select: {
      id: true,
      status: true,
      arch: true,
      signature: true,
      signatureKind: true,
      firstBadKernel: { select: { version: true, sortKey: true } },
      fixedInVersion: { select: { version: true } },
      fixedInKernel: { select: { version: true } },
    },
    take: 50,
  });
  return rows
    .filter((r) => r.firstBadKernel.sortKey <= at)
    .sort((a, b) => (a.firstBadKernel.sortKey < b.firstBadKernel.sortKey ? 1 : -1))
    .map((r) => ({
      id: r.id,
      status: r.status,
      arch: r.arch,
      firstBadKernel: r.firstBadKernel.version,
      signature: r.signature,
      signatureKind: r.signatureKind,
      fixedInVersion: r.fixedInVersion?.version ?? null,
      fixedInKernel: r.fixedInKernel?.version ?? null,
    }));
}

/** Which of these kernel symbols have a signature page (some regression carries them). */
export async function knownSignatures(symbols: Iterable<string>): Promise<Set<string>> {
  const wanted = [...new Set(symbols)].slice(0, 500);
  if (wanted.length === 0) return new Set();
  const rows = await db().incident.findMany({ where: { signature: { in: wanted } }, distinct: ["signature"], select: { signature: true } });
  return new Set(rows.flatMap((r) => (r.signature ? [r.signature] : [])));
}
