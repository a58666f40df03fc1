import type { Prisma } from "../../generated/prisma/client";
import { lineLabel } from "../../domain/kernel-version";
import { incidentDays, type FixBasis, type IncidentStatus } from "../../domain/regressions";
import { compareModuleVersions } from "../../domain/module-version";
import type { SignatureKind } from "../../domain/signature";

/** What every list, page, feed and API shows about one incident. */
export interface IncidentSummary {
  id: number;
  module: { slug: string; name: string };
  arch: string;
  line: string;
  lineLabel: string;
  lastGoodKernel: string;
  firstBadKernel: string;
  series: string;
  affectedVersions: string[];
  errorLine: string | null;
  signature: { symbol: string; kind: SignatureKind } | null;
  status: IncidentStatus;
  openedAt: Date;
  fixedIn: string | null;
  fixedInKernel: string | null;
  fixedAt: Date | null;
  fixedAtBasis: FixBasis | null;
  fixedOnSnapshot: { version: string; at: Date } | null;
  /** time to fix, or null when unknown (fix seen in the same run as the failure) or still open */
  timeToFixDays: number | null;
  /** days open so far (open incidents) or time to fix (fixed ones); null when unknown */
  days: number | null;
}

export const incidentInclude = {
  module: { select: { slug: true, name: true } },
  lastGoodKernel: { select: { version: true } },
  firstBadKernel: { select: { version: true } },
  fixedInVersion: { select: { version: true } },
  fixedInKernel: { select: { version: true } },
  fixedOnSnapshotVersion: { select: { version: true } },
  versions: { select: { moduleVersion: { select: { version: true } } } },
} satisfies Prisma.IncidentInclude;

export type IncidentRow = Prisma.IncidentGetPayload<{ include: typeof incidentInclude }>;

export function toSummary(row: IncidentRow, now: Date = new Date()): IncidentSummary {
  const status = row.status as IncidentStatus;
  return {
    id: row.id,
    module: row.module,
    arch: row.arch,
    line: row.line,
    lineLabel: lineLabel(row.line),
    lastGoodKernel: row.lastGoodKernel.version,
    firstBadKernel: row.firstBadKernel.version,
    series: row.series,
    affectedVersions: row.versions.map((v) => v.moduleVersion.version).sort(compareModuleVersions),
    errorLine: row.errorLine,
    signature: row.signature ? { symbol: row.signature, kind: row.signatureKind as SignatureKind } : null,
    status,
    openedAt: row.openedAt,
    fixedIn: row.fixedInVersion?.version ?? null,
    fixedInKernel: row.fixedInKernel?.version ?? null,
    fixedAt: row.fixedAt,
    fixedAtBasis: row.fixedAtBasis as FixBasis | null,
    fixedOnSnapshot: row.fixedOnSnapshotVersion && row.fixedOnSnapshotAt ? { version: row.fixedOnSnapshotVersion.version, at: row.fixedOnSnapshotAt } : null,
    timeToFixDays: row.timeToFixDays,
    days: incidentDays({ status, openedAt: row.openedAt, timeToFixDays: row.timeToFixDays }, now),
  };
}
