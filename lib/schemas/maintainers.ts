import { z } from "zod";
import { DISAGREEMENTS } from "../domain/declared-range";
import { DATE_BASES } from "../domain/event-date";
import { CELL_STATES, FIX_BASES, INCIDENT_STATUSES, TRANSITIONS, VERDICTS } from "../domain/regressions";
import { SIGNATURE_KINDS } from "../domain/signature";
import { STAGES, STATUSES } from "../domain/status";
import { UPCOMING_OUTCOMES } from "../domain/upcoming";
import { regressionsQuerySchema } from "./regressions";

/**
 * Response shapes of the maintainers' API (regressions, signatures, module history, upcoming
 * kernels), as the services return them serialised to JSON (dates become ISO strings). They are
 * strict: a service that adds, drops or retypes a field fails the integration test that parses
 * real responses with them (tests/integration/maintainers-schemas.test.ts), and the same test
 * checks at compile time that each service's return type serialises to its schema.
 */

const isoDateTime = z.iso.datetime({ offset: true });
const isoDay = z.iso.date();
const status = z.enum(STATUSES);
const incidentStatus = z.enum(INCIDENT_STATUSES);
const signatureKind = z.enum(SIGNATURE_KINDS);
const signature = z.strictObject({ symbol: z.string().describe('"strlcpy", "struct block_device::bd_inode", "asm/unaligned.h"'), kind: signatureKind });

export const incidentSummarySchema = z
  .strictObject({
    id: z.int(),
    module: z.strictObject({ slug: z.string(), name: z.string() }),
    arch: z.string(),
    line: z.string().describe("the kernel line the incident was found on (distro and flavour: lib/domain/kernel-version.ts kernelLine)"),
    lineLabel: z.string(),
    lastGoodKernel: z.string(),
    firstBadKernel: z.string(),
    lastGoodUpstream: z.string().nullable().describe("the Linux version the last good kernel carries, when known"),
    firstBadUpstream: z.string().nullable(),
    series: z.string().describe("series of the first bad kernel"),
    affectedVersions: z.array(z.string()).describe("module versions that fail there, oldest first"),
    errorLine: z.string().nullable(),
    signature: signature.nullable().describe("the kernel change behind the failure, when the error line names one"),
    status: incidentStatus,
    openedAt: isoDateTime.describe("when it broke: the first bad kernel's release date, or when the failure was first seen (openedAtBasis)"),
    openedAtBasis: z.enum(DATE_BASES),
    openedSeenAt: isoDateTime.nullable(),
    openedAtSource: z.string().nullable(),
    fixedIn: z.string().nullable().describe("the first module version that passes again"),
    fixedInKernel: z.string().nullable(),
    fixedAt: isoDateTime.nullable(),
    fixedAtBasis: z.enum(FIX_BASES).nullable(),
    fixedSeenAt: isoDateTime.nullable(),
    fixedAtSource: z.string().nullable(),
    fixedOnSnapshot: z.strictObject({ version: z.string(), at: isoDateTime }).nullable(),
    timeToFixDays: z.number().nullable().describe("null while open, and when the break and the fix were seen in the same run"),
    days: z.number().nullable().describe("age of an open incident, or its time to fix"),
  })
  .describe("one regression: a module that passed on a kernel line and fails on a newer kernel of it");

export const regressionListResponseSchema = z.strictObject({
  query: regressionsQuerySchema,
  total: z.int(),
  counts: z.strictObject({ open: z.int(), fixed: z.int() }),
  items: z.array(incidentSummarySchema),
  options: z.strictObject({ modules: z.array(z.string()), series: z.array(z.string()), signatures: z.array(z.string()) }).describe("the values the filters can take"),
});

const neighbourRow = z.strictObject({
  version: z.string(),
  role: z.enum(["affected", "fix"]),
  cells: z.array(z.strictObject({ kernel: z.string(), state: z.enum(CELL_STATES).nullable(), transition: z.enum(TRANSITIONS).nullable() })),
});

const evidenceResult = z.strictObject({
  id: z.int(),
  arch: z.string(),
  stage: z.enum(STAGES),
  status,
  finishedAt: isoDateTime,
  durationMs: z.int().nullable(),
  errorLine: z.string().nullable(),
  logExcerpt: z.string().nullable(),
  logTruncated: z.boolean(),
  logUrl: z.string().nullable(),
  compiler: z.string().nullable(),
  run: z.strictObject({ id: z.int(), source: z.string(), externalId: z.string(), url: z.string().nullable() }),
  version: z.string(),
  kernel: z.string(),
  role: z.enum(["opened", "fixed"]).nullable().describe("the result that opened the incident, or the one that showed the fix"),
});

export const regressionResponseSchema = z.strictObject({
  incident: incidentSummarySchema,
  neighbourhood: z
    .strictObject({ kernels: z.array(z.string()), rows: z.array(neighbourRow) })
    .describe("the kernels of the line around the break, with the state of the affected and fixing versions"),
  evidence: z.array(evidenceResult).describe("deciding results first, at most 60"),
});

const signatureGroup = z.strictObject({
  symbol: z.string(),
  kind: signatureKind,
  firstBrokenSeries: z.string(),
  lastPassingSeries: z.string().nullable(),
  series: z.array(z.string()),
  modules: z.array(
    z.strictObject({ module: z.string(), status: incidentStatus, incidentIds: z.array(z.int()), firstBadKernels: z.array(z.string()), fixedIn: z.array(z.string()) }),
  ),
  openModules: z.int(),
  fixedModules: z.int(),
});

export const signatureListResponseSchema = z.strictObject({
  signatures: z.array(signatureGroup).describe("one group per kernel symbol, the most widespread first"),
  unclassified: z.int().describe("regressions whose error line names no kernel symbol"),
});

const upstreamRemoval = z
  .strictObject({
    removedIn: z.string().describe('"6.12": the Linux series of the first snapshot without it'),
    after: z.string().describe('"6.1": the Linux series of the last snapshot with it'),
    exact: z.boolean().describe("nothing lies between the two series, so it went away in removedIn"),
    firstWithout: z.string().describe("the oldest kernel API snapshot without it (generic flavours only)"),
    lastWith: z.string().describe("the newest kernel API snapshot with it"),
    snapshots: z.int().describe("generic-flavour kernel API snapshots it is judged on"),
    text: z.string().describe('"removed upstream in Linux 6.12 or earlier, after Linux 6.1"'),
  })
  .nullable()
  .describe("where the exported symbol or header went away upstream, bounded by the kernel API snapshots available; null when they cannot tell");

export const signatureResponseSchema = z.strictObject({ signature: signatureGroup, incidents: z.array(incidentSummarySchema), upstream: upstreamRemoval });

const lagPick = z.strictObject({
  version: z.string(),
  releasedAt: isoDateTime.nullable(),
  lagDays: z.number().nullable(),
  readyBeforeKernel: z.boolean().nullable(),
  uncertain: z.boolean(),
});

export const moduleHistoryResponseSchema = z.strictObject({
  module: z.strictObject({ slug: z.string(), name: z.string() }),
  generatedAt: isoDateTime,
  incidents: z.array(incidentSummarySchema),
  timeline: z.array(
    z.strictObject({ id: z.int(), label: z.string(), start: z.number().describe("epoch ms"), end: z.number().describe("epoch ms: fixedAt, or now while open"), status: incidentStatus }),
  ),
  passRate: z.strictObject({
    bucket: z.enum(["day", "week"]),
    points: z.array(z.strictObject({ start: isoDay, pass: z.int(), fail: z.int(), rate: z.number().nullable() })),
    spanDays: z.int(),
  }),
  timeToFix: z.strictObject({ buckets: z.array(z.strictObject({ label: z.string(), count: z.int() })), unknown: z.int(), open: z.int() }),
  supportLag: z.array(z.strictObject({ series: z.string(), kernelReleasedAt: isoDateTime.nullable(), firstPassing: lagPick.nullable(), firstDeclaring: lagPick.nullable() })),
  declared: z.strictObject({
    declaredVersions: z.int(),
    mismatches: z.array(
      z.strictObject({
        versionId: z.int(),
        version: z.string(),
        kernelId: z.int(),
        kernel: z.string(),
        arch: z.string(),
        status,
        declaredKernelMin: z.string().nullable(),
        declaredKernelMax: z.string().nullable(),
        kind: z.enum(DISAGREEMENTS),
      }),
    ),
  }),
  flaky: z.array(
    z.strictObject({ version: z.string(), kernel: z.string(), arch: z.string(), line: z.string(), passes: z.int(), fails: z.int(), lastVerdict: z.enum(VERDICTS), lastAt: isoDateTime }),
  ),
  data: z.strictObject({
    results: z.int(),
    runs: z.int(),
    versions: z.int(),
    versionsWithReleaseDate: z.int(),
    resultsWithKernelDate: z.int(),
    firstAt: isoDateTime.nullable(),
    lastAt: isoDateTime.nullable(),
  }),
  caveats: z.array(z.string()).describe("what the data cannot tell, said plainly"),
});

export const upcomingResponseSchema = z.strictObject({
  kernels: z
    .array(
      z.strictObject({
        kernel: z.string(),
        series: z.string(),
        baseSeries: z.string().nullable().describe("the newest released series before it that has results"),
        releasedSince: z.string().nullable(),
        buildOnBase: z.int(),
        counts: z.strictObject(Object.fromEntries(UPCOMING_OUTCOMES.map((o) => [o, z.int()])) as Record<(typeof UPCOMING_OUTCOMES)[number], z.ZodInt>),
        modules: z.array(
          z.strictObject({
            module: z.string(),
            version: z.string(),
            basePass: z.string().nullable(),
            outcome: z.enum(UPCOMING_OUTCOMES),
            errorLine: z.string().nullable(),
            signature: signature.nullable(),
          }),
        ),
        name: z.string(),
        headline: z.string(),
        upstreamVersion: z.string().nullable(),
        packageVersion: z.string().nullable(),
        releasedAt: isoDateTime.nullable(),
        releasedAtSource: z.string().nullable(),
        lastResultAt: isoDateTime.nullable(),
      }),
    )
    .describe("newest first, at most 10"),
});
