import { z } from "zod";
import { STAGES, STATUSES } from "../domain/status";
import { tryParseKernelVersion } from "../domain/kernel-version";
import { isValidModuleVersion } from "../domain/module-version";
import { MAX_FOOTPRINT_HEADERS, MAX_FOOTPRINT_REFERENCES, MAX_FOOTPRINT_SYMBOLS } from "../domain/footprint";
import { cleanText, MAX_JSON_DEPTH, refineStorable } from "./storable";

/** Shared by the ingest route, the CLI runner and the tests. */
export const MAX_RESULTS_PER_REQUEST = 5000;
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export const moduleSlug = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9._+-]*$/, "must be lower-case letters, digits and . _ + - (e.g. v4l2loopback)");

export const moduleVersionString = z.string().superRefine((value, ctx) => {
  if (!isValidModuleVersion(value)) {
    ctx.addIssue({ code: "custom", message: `invalid module version "${value}": expected e.g. 0.12.7 or 2.2.4 (no spaces, at most 100 characters)` });
  }
});

/** Characters that make a kernel string a path, a query or markup; named in the 422 (`6.1/../etc`). */
const KERNEL_FORBIDDEN = /[/?<>\s\x00-\x1f\x7f]/;
const describeChar = (c: string) =>
  c === " " ? "a space (U+0020)" : /[\s\x00-\x1f\x7f]/.test(c) ? `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}` : `"${c}"`;

/** Why a (trimmed) kernel string is not a kernel version, or null. */
function kernelProblem(value: string): string | null {
  const bad = KERNEL_FORBIDDEN.exec(value);
  if (bad) {
    return `kernel version ${JSON.stringify(value)} contains ${describeChar(bad[0])} at character ${bad.index + 1}; a kernel version cannot contain / ? < > whitespace or control characters`;
  }
  const parsed = tryParseKernelVersion(value);
  return parsed.ok ? null : parsed.error;
}

// A batch names a few dozen kernels in thousands of results: each distinct string is parsed once
// (issue 14), with the same verdict as every time. Bounded: any client may send new strings.
const kernelProblems = new Map<string, string | null>();
function knownKernelProblem(value: string): string | null {
  let problem = kernelProblems.get(value);
  if (problem === undefined) {
    problem = kernelProblem(value);
    if (value.length <= 200) {
      if (kernelProblems.size >= 10_000) kernelProblems.clear();
      kernelProblems.set(value, problem);
    }
  }
  return problem;
}

export const kernelVersionString = z.string().trim().superRefine((value, ctx) => {
  const problem = knownKernelProblem(value);
  if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
});

export const archString = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z0-9_]+$/, "must look like uname -m (x86_64, aarch64, …)");

/** A clock this far ahead of ours is still believed; anything later is a 422, not a frozen verdict. */
export const MAX_FUTURE_SKEW_MS = 10 * 60 * 1000;
/** Nothing in this domain predates Linux; PostgreSQL's range and JavaScript's are far wider. */
const EARLIEST = Date.UTC(1991, 0, 1);
const inWindow = (aheadMs: number) => (value: string, ctx: z.RefinementCtx) => {
  const t = Date.parse(value);
  if (!Number.isFinite(t) || t < EARLIEST) ctx.addIssue({ code: "custom", message: "must be a date from 1991-01-01 on" });
  else if (t > Date.now() + aheadMs) ctx.addIssue({ code: "custom", message: `is in the future (more than ${aheadMs / 60_000} minutes ahead of the server's clock)` });
};
const isoDate = z.iso.datetime({ offset: true }).superRefine(inWindow(MAX_FUTURE_SKEW_MS));
/** A release date, written as a day or a timestamp; a day may be up to a day "ahead" (time zones). */
const releaseDate = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: "must be a date (2026-11-16) or an ISO timestamp with offset" })
  .superRefine(inWindow(24 * 3600 * 1000));
/** Only http(s): `data:`, `file:`, `vbscript:` … would be rendered as links. */
export const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).max(2000);
const shortText = (max: number) => z.string().min(1).max(max);

export const environmentSchema = z
  .object({
    arch: archString.optional(),
    compiler: shortText(200).optional(),
    distro: shortText(100).optional(),
    host: shortText(200).optional(),
  })
  .strict();

export const runSchema = z
  .object({
    source: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "must be letters, digits and . _ - (e.g. debian-dkms-lab)"),
    id: shortText(200),
    url: httpUrl.optional(),
    startedAt: isoDate.optional(),
    finishedAt: isoDate.optional(),
    environment: environmentSchema.optional(),
    /** provenance (package versions, header versions, …), stored as sent */
    // z.unknown, not z.json: z.json recurses per level (a stack overflow near 5,000); the body
    // walk in ingestBodySchema bounds depth at MAX_JSON_DEPTH iteratively.
    meta: z.record(z.string(), z.unknown()).optional().describe(`any JSON, nested at most ${MAX_JSON_DEPTH - 2} levels`),
  })
  .strict();

const symbolName = z.string().min(1).max(200).regex(/^[A-Za-z_.$][A-Za-z0-9_.$]*$/, "must be a C symbol name");
const includeName = z.string().min(3).max(300).regex(/^[A-Za-z0-9_][A-Za-z0-9_.+,-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.+,-]*)*\.h$/, "must be an include name such as linux/string.h");

/** What a successful build used (lib/domain/footprint.ts): the .ko's undefined symbols, the kernel headers included. */
export const footprintSchema = z
  .object({
    symbols: z.array(symbolName).max(MAX_FOOTPRINT_SYMBOLS),
    headers: z.array(includeName).max(MAX_FOOTPRINT_HEADERS),
    references: z.array(symbolName).max(MAX_FOOTPRINT_REFERENCES).optional(),
    includes: z.array(includeName).max(MAX_FOOTPRINT_HEADERS).optional(),
    macroCalls: z
      .array(z.string().max(210).regex(/^[A-Za-z_][A-Za-z0-9_]*\/\d{1,3}$/, "must be NAME/argument-count"))
      .max(MAX_FOOTPRINT_HEADERS)
      .optional(),
    licences: z.array(shortText(100)).max(20).optional(),
    importedNamespaces: z.array(z.string().min(1).max(100).regex(/^[A-Za-z0-9_]+$/, "must be a symbol namespace")).max(100).optional(),
  })
  .strict();

export const resultSchema = z
  .object({
    module: moduleSlug,
    moduleVersion: moduleVersionString,
    kernel: kernelVersionString,
    arch: archString,
    stage: z.enum(STAGES),
    status: z.enum(STATUSES),
    durationMs: z.int().min(0).max(7 * 24 * 3600 * 1000).optional(),
    log: z.string().max(4 * 1024 * 1024).transform(cleanText).optional(),
    /** the reporter already cut the log */
    logTruncated: z.boolean().optional(),
    logUrl: httpUrl.optional(),
    /** overrides extraction from the log, e.g. for a reason the reporter determined itself */
    errorLine: shortText(1000).optional(),
    compiler: shortText(200).optional(),
    finishedAt: isoDate.optional(),
    /** only with status "pass": what the build used, for blast radius and predictions */
    footprint: footprintSchema.optional(),
  })
  .strict()
  .refine((r) => r.footprint === undefined || r.status === "pass", { message: "a footprint comes only with a passing result", path: ["footprint"] });

export const moduleVersionInfoSchema = z
  .object({
    version: moduleVersionString,
    releasedAt: releaseDate.optional(),
    /** where releasedAt comes from (a changelog entry, an upstream tag), shown next to the date */
    releasedAtSource: shortText(500).optional(),
    declaredKernelMin: shortText(50).optional(),
    declaredKernelMax: shortText(50).optional(),
  })
  .strict();

/** Optional metadata about modules named in `results`; unknown modules are created either way. */
export const moduleInfoSchema = z
  .object({
    slug: moduleSlug,
    name: shortText(200).optional(),
    /** null clears it (owner or admin token only) */
    homepage: httpUrl.nullable().optional(),
    description: shortText(2000).nullable().optional(),
    versions: z.array(moduleVersionInfoSchema).max(1000).optional(),
  })
  .strict();

/**
 * Metadata about a kernel named in `results` (or only here: such a kernel is created with its
 * metadata and no results). Newer metadata overwrites older; an absent field never erases a value.
 */
export const kernelInfoSchema = z
  .object({
    kernel: kernelVersionString,
    /** the package that produced the headers, e.g. linux-headers-6.1.0-56-amd64 */
    package: shortText(200).optional(),
    /** its version, e.g. 6.1.192-2 (Debian) */
    packageVersion: shortText(100).optional(),
    /** the Linux version it carries, e.g. 6.1.192, or 7.3-rc7 for a release candidate */
    upstreamVersion: shortText(50).optional(),
    /** the distro's upload date of that package version */
    releasedAt: releaseDate.optional(),
    /** where releasedAt comes from, e.g. "changelog.Debian.gz of linux-headers-6.1.0-56-common: linux (6.1.192-2) bookworm-security" */
    releasedAtSource: shortText(500).optional(),
    /** a release candidate or experimental kernel (rc kernel strings count as one anyway) */
    prerelease: z.boolean().optional(),
  })
  .strict();

export const ingestBodySchema = z
  .object({
    run: runSchema,
    modules: z.array(moduleInfoSchema).max(1000).optional(),
    kernels: z.array(kernelInfoSchema).max(1000).optional(),
    results: z.array(resultSchema).min(1).max(MAX_RESULTS_PER_REQUEST),
  })
  .strict()
  // Logs are cleaned instead (cleanText): a binary byte in a build log is no reason to lose the result.
  .superRefine((body, ctx) => refineStorable(body, ctx, { skip: (p) => p.length === 3 && p[0] === "results" && p[2] === "log" }));

export type IngestBody = z.infer<typeof ingestBodySchema>;
export type IngestResult = z.infer<typeof resultSchema>;
export type IngestRun = z.infer<typeof runSchema>;
export type ModuleInfo = z.infer<typeof moduleInfoSchema>;
export type KernelInfo = z.infer<typeof kernelInfoSchema>;

export const ingestResponseSchema = z.object({
  run: z.object({ id: z.int(), source: z.string(), externalId: z.string() }),
  replayed: z.boolean(),
  stored: z.int(),
  created: z.object({ modules: z.int(), moduleVersions: z.int(), kernels: z.int() }),
  cellsUpdated: z.int(),
});
export type IngestResponse = z.infer<typeof ingestResponseSchema>;

export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;
