import type { Prisma } from "../../generated/prisma/client";
import { lineLabel } from "../../domain/kernel-version";
import { incidentDays, type FixBasis, type IncidentStatus } from "../../domain/regressions";
import { compareModuleVersions } from "../../domain/module-version";
import type { DateBasis } from "../../domain/event-date";
import { upstreamOf } from "../../domain/kernel-release";
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
  /** the Linux versions those kernels carry, when known (lib/domain/kernel-release.ts upstreamOf) */
  lastGoodUpstream: string | null;
  firstBadUpstream: string | null;
  series: string;
  affectedVersions: string[];
  errorLine: string | null;
  signature: { symbol: string; kind: SignatureKind } | null;
  status: IncidentStatus;
  /** the first bad kernel's release date, or when the failure was first seen (openedAtBasis) */
  openedAt: Date;
  openedAtBasis: DateBasis;
  /** when the first failure was seen; null for incidents stored before this was recorded */
  openedSeenAt: Date | null;
  /** where openedAt comes from: the first bad kernel's date source; null when it is the date seen */
  openedAtSource: string | null;
  fixedIn: string | null;
  fixedInKernel: string | null;
  fixedAt: Date | null;
  fixedAtBasis: FixBasis | null;
  fixedSeenAt: Date | null;
  /** where fixedAt comes from, for the release-date bases */
  fixedAtSource: string | null;
  fixedOnSnapshot: { version: string; at: Date } | null;
  /** time to fix, or null when unknown (lib/domain/event-date.ts daysToFix) or still open */
  timeToFixDays: number | null;
  /** days open so far (open incidents) or time to fix (fixed ones); null when unknown */
  days: number | null;
}

const kernelDates = { version: true, upstreamVersion: true, releasedAt: true, releasedAtSource: true } as const;

export const incidentInclude = {
  module: { select: { slug: true, name: true } },
  lastGoodKernel: { select: kernelDates },
  firstBadKernel: { select: kernelDates },
  fixedInVersion: { select: { version: true, releasedAt: true, releasedAtSource: true } },
  fixedInKernel: { select: kernelDates },
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
    lastGoodUpstream: upstreamOf(row.lastGoodKernel),
    firstBadUpstream: upstreamOf(row.firstBadKernel),
    series: row.series,
    affectedVersions: row.versions.map((v) => v.moduleVersion.version).sort(compareModuleVersions),
    errorLine: row.errorLine,
    signature: row.signature ? { symbol: row.signature, kind: row.signatureKind as SignatureKind } : null,
    status,
    openedAt: row.openedAt,
    openedAtBasis: row.openedAtBasis as DateBasis,
    openedSeenAt: row.openedSeenAt,
    openedAtSource: row.openedAtBasis === "release" ? row.firstBadKernel.releasedAtSource : null,
    fixedIn: row.fixedInVersion?.version ?? null,
    fixedInKernel: row.fixedInKernel?.version ?? null,
    fixedAt: row.fixedAt,
    fixedAtBasis: row.fixedAtBasis as FixBasis | null,
    fixedSeenAt: row.fixedSeenAt,
    fixedAtSource:
      row.fixedAtBasis === "release-date" ? (row.fixedInVersion?.releasedAtSource ?? null) : row.fixedAtBasis === "kernel-release" ? (row.fixedInKernel?.releasedAtSource ?? null) : null,
    fixedOnSnapshot: row.fixedOnSnapshotVersion && row.fixedOnSnapshotAt ? { version: row.fixedOnSnapshotVersion.version, at: row.fixedOnSnapshotAt } : null,
    timeToFixDays: row.timeToFixDays,
    days: incidentDays({ status, openedAt: row.openedAt, timeToFixDays: row.timeToFixDays }, now),
  };
}
