import { z } from "zod";
import { DISTROS } from "../domain/kernel-version";
import { STATUSES } from "../domain/status";
import { SUPPORT_STATES } from "../domain/support-state";
import { MODULE_STATES } from "../domain/module-state";

/**
 * Response shapes of the read API (modules, matrix, kernels, cells), as the services return them
 * serialised to JSON (dates become ISO strings). They exist for the OpenAPI document; the
 * integration test tests/integration/check-badge-openapi.test.ts parses real responses with them, so a
 * service that changes its output without this file fails there.
 */

const status = z.enum(STATUSES);
const isoDateTime = z.iso.datetime({ offset: true });
const statusCounts = z.object({ pass: z.int(), fail: z.int(), error: z.int(), skip: z.int() });
const archStatus = z.object({ arch: z.string(), status });

export const moduleSummarySchema = z.object({
  slug: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  versionCount: z.int(),
  newestVersion: z.string().nullable(),
  newestPassingKernel: z.string().nullable().describe("newest kernel (kernel order) on which the newest version passes"),
  cellCount: z.int(),
  failingCells: z.int().describe("failing cells of every version (history; the module's state is `newest`)"),
  newest: z
    .object({
      state: z.enum(MODULE_STATES).describe("pass | fail | mixed (some series pass, some fail) | no-verdict (only skips, environment errors or nothing)"),
      version: z.string().nullable().describe("the newest version with any result"),
      series: z.array(z.object({ series: z.string(), kernel: z.string(), status: z.enum(STATUSES) })).describe("its state on the newest generic-flavour kernel of each series, oldest series first"),
    })
    .describe("the newest version on the newest kernel of each series (lib/domain/module-state.ts)"),
  support: z
    .object({
      state: z.enum(SUPPORT_STATES).describe("current | behind (fails on one newer series) | orphaned (fails on two or more, or passes nowhere built here) | untested"),
      version: z.string().nullable().describe("the version judged: the newest one with a pass or fail"),
      lastKernel: z.string().nullable().describe("newest released (not rc/experimental) kernel on which that version passes"),
      lastKernelUpstream: z.string().nullable().describe("the Linux version lastKernel carries, when known"),
      lastSeries: z.string().nullable(),
      failingSeries: z.array(z.string()).describe("newer series on which it only fails"),
      builtSeries: z.object({ oldest: z.string(), newest: z.string() }).nullable(),
      sentence: z.string(),
    })
    .describe("is the module kept up with the kernel (lib/domain/support-state.ts)"),
});
export const moduleListResponseSchema = z.object({ modules: z.array(moduleSummarySchema) });

export const moduleResponseSchema = z.object({
  module: z.object({
    slug: z.string(),
    name: z.string(),
    homepage: z.string().nullable(),
    description: z.string().nullable(),
    versions: z
      .array(
        z.object({
          version: z.string(),
          releasedAt: isoDateTime.nullable(),
          declaredKernelMin: z.string().nullable(),
          declaredKernelMax: z.string().nullable(),
          cells: statusCounts.describe("cells of this version per status"),
        }),
      )
      .describe("newest first"),
  }),
});

const groupSummary = z.object({
  headline: z.enum([...STATUSES, "mixed", "none"]).describe("mixed: some kernels pass and some fail"),
  counts: statusCounts,
  total: z.int(),
});

export const matrixResponseSchema = z.object({
  module: z.object({ slug: z.string(), name: z.string(), description: z.string().nullable(), homepage: z.string().nullable() }),
  query: z.object({
    arch: z.string().optional(),
    distro: z.string().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    expand: z.array(z.string()).optional(),
  }),
  options: z.object({ arches: z.array(z.string()), distros: z.array(z.string()), series: z.array(z.string()) }),
  limits: z
    .object({ maxCells: z.int(), totalCells: z.int(), truncated: z.boolean(), narrow: z.string().optional() })
    .describe("at most maxCells cells are listed (newest versions first); past it `truncated` is true and `narrow` says how to ask for less"),
  versions: z
    .array(
      z.object({
        id: z.int(),
        version: z.string(),
        releasedAt: isoDateTime.nullable(),
        releasedAtSource: z.string().nullable().describe("where releasedAt comes from"),
        declaredKernelMin: z.string().nullable(),
        declaredKernelMax: z.string().nullable(),
        hasResults: z.boolean().describe("false for a version known only by its declared range (e.g. imported from OpenZFS META)"),
      }),
    )
    .describe("newest first"),
  series: z
    .array(
      z.object({
        series: z.string(),
        expanded: z.boolean(),
        kernels: z.array(
          z.object({
            id: z.int(),
            version: z.string(),
            distro: z.string(),
            flavour: z.string().nullable(),
            upstreamVersion: z.string().nullable().describe("the Linux version it carries, when known"),
            releasedAt: isoDateTime.nullable(),
            releasedAtSource: z.string().nullable(),
            upcoming: z.boolean().describe("rc or experimental"),
          }),
        ),
        summary: z.record(z.string(), groupSummary).describe("per module version id"),
      }),
    )
    .describe("in kernel order"),
  cells: z.array(z.object({ versionId: z.int(), kernelId: z.int(), status, arches: z.array(archStatus), errorLine: z.string().nullable() })),
});

export const cellResponseSchema = z.object({
  module: z.string(),
  version: z.string(),
  kernel: z.string(),
  arches: z.array(
    z.object({
      arch: z.string(),
      status,
      stages: z.record(z.string(), status).describe("latest meaningful status per stage (build, install, load, test)"),
      counts: statusCounts,
      lastResultAt: isoDateTime,
      errorLine: z.string().nullable(),
      logUrl: z.string().nullable(),
    }),
  ),
  results: z
    .array(
      z.object({
        id: z.int(),
        arch: z.string(),
        stage: z.string(),
        status,
        finishedAt: isoDateTime,
        durationMs: z.int().nullable(),
        errorLine: z.string().nullable(),
        logUrl: z.string().nullable(),
        logExcerpt: z.string().nullable(),
        logTruncated: z.boolean(),
        compiler: z.string().nullable(),
        run: z.object({ source: z.string(), externalId: z.string(), url: z.string().nullable() }),
      }),
    )
    .describe("raw results, newest first"),
});

export const kernelListResponseSchema = z.object({
  kernels: z
    .array(
      z.object({
        version: z.string(),
        series: z.string(),
        distro: z.string(),
        upstreamVersion: z.string().nullable().describe("the Linux version it carries, when known"),
        releasedAt: isoDateTime.nullable(),
        upcoming: z.boolean().describe("rc or experimental"),
      }),
    )
    .describe("newest first"),
  total: z.int().describe("kernels matching the filter"),
  limit: z.int(),
  offset: z.int(),
});

export const parsedKernelSchema = z.object({
  raw: z.string(),
  major: z.int(),
  minor: z.int(),
  patch: z.int().nullable(),
  sub: z.int().nullable(),
  series: z.string(),
  base: z.string(),
  rc: z.int().nullable(),
  nextDate: z.string().nullable(),
  distro: z.enum(DISTROS),
  distroRelease: z.string().nullable(),
  flavour: z.string().nullable(),
  localSuffix: z.string().nullable(),
});

export const kernelResponseSchema = z.object({
  kernel: z.object({
    version: z.string(),
    parsed: parsedKernelSchema,
    releasedAt: isoDateTime.nullable().describe("the distro's upload date of the kernel's package, when known"),
    releasedAtSource: z.string().nullable().describe("where releasedAt comes from"),
    upstreamVersion: z.string().nullable().describe("the Linux version it carries (6.1.0-56-amd64: 6.1.192), when known"),
    package: z.string().nullable(),
    packageVersion: z.string().nullable(),
    upcoming: z.boolean().describe("a release candidate or experimental kernel"),
  }),
  previous: z.string().nullable().describe("the kernel before it in kernel order"),
  next: z.string().nullable(),
  modules: z.array(
    z.object({
      slug: z.string(),
      name: z.string(),
      versions: z.array(z.object({ version: z.string(), status, arches: z.array(archStatus), errorLine: z.string().nullable() })),
    }),
  ),
  counts: statusCounts,
});

export const knownResultsResponseSchema = z.object({
  known: z.array(z.object({ module: z.string(), moduleVersion: z.string(), kernel: z.string(), arch: z.string() })).describe("distinct within the page; a combination may repeat on a later page"),
  next: z.string().nullable().describe("pass as ?after= for the next page; null on the last"),
});
