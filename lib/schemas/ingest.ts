import { z } from "zod";
import { STAGES, STATUSES } from "../domain/status";
import { tryParseKernelVersion } from "../domain/kernel-version";
import { isValidModuleVersion } from "../domain/module-version";

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

export const kernelVersionString = z.string().trim().superRefine((value, ctx) => {
  const parsed = tryParseKernelVersion(value);
  if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error });
});

export const archString = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z0-9_]+$/, "must look like uname -m (x86_64, aarch64, …)");

const isoDate = z.iso.datetime({ offset: true });
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
    url: z.url().max(2000).optional(),
    startedAt: isoDate.optional(),
    finishedAt: isoDate.optional(),
    environment: environmentSchema.optional(),
    /** provenance (package versions, header versions, …), stored as sent */
    meta: z.record(z.string(), z.json()).optional(),
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
    log: z.string().max(4 * 1024 * 1024).optional(),
    /** the reporter already cut the log */
    logTruncated: z.boolean().optional(),
    logUrl: z.url().max(2000).optional(),
    /** overrides extraction from the log, e.g. for a reason the reporter determined itself */
    errorLine: shortText(1000).optional(),
    compiler: shortText(200).optional(),
    finishedAt: isoDate.optional(),
  })
  .strict();

export const moduleVersionInfoSchema = z
  .object({
    version: moduleVersionString,
    releasedAt: z.iso.date().or(isoDate).optional(),
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
    homepage: z.url().max(2000).optional(),
    description: shortText(2000).optional(),
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
    releasedAt: z.iso.date().or(isoDate).optional(),
    /** where releasedAt comes from, e.g. "changelog.Debian.gz of linux-headers-6.1.0-56-common: linux (6.1.192-2) bookworm-security" */
    releasedAtSource: shortText(500).optional(),
    /** a release candidate or experimental kernel (rc kernel strings count as one anyway) */
    prerelease: z.boolean().optional(),
  })
  .strict();

/** PostgreSQL text cannot hold NUL; name every field that has one instead of failing at insert. */
function rejectNul(value: unknown, path: (string | number)[], ctx: z.RefinementCtx): void {
  if (typeof value === "string") {
    if (value.includes("\0")) ctx.addIssue({ code: "custom", path, message: "contains a NUL character (\\u0000), which cannot be stored" });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => rejectNul(v, [...path, i], ctx));
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      // Logs are cleaned instead: a binary byte in a build log is no reason to lose the result.
      if (k !== "log") rejectNul(v, [...path, k], ctx);
    }
  }
}

export const ingestBodySchema = z
  .object({
    run: runSchema,
    modules: z.array(moduleInfoSchema).max(1000).optional(),
    kernels: z.array(kernelInfoSchema).max(1000).optional(),
    results: z.array(resultSchema).min(1).max(MAX_RESULTS_PER_REQUEST),
  })
  .strict()
  .superRefine((body, ctx) => rejectNul(body, [], ctx));

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
