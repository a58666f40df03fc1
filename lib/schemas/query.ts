import { z } from "zod";
import { SERIES_SYNTAX, compareSeries, isSeries } from "../domain/kernel-version";
import { archString, moduleSlug } from "./ingest";

/** A kernel series ("6.1", "6.12", "2.6.32", "next"), by the one rule in kernel-version.ts. */
export const kernelSeriesString = z
  .string()
  .regex(SERIES_SYNTAX, "must be a kernel series such as 6.1 or 6.12")
  .refine(isSeries, "must be a kernel series such as 6.1 or 6.12");
const series = kernelSeriesString;
/** Accept `?expand=6.1,6.12` and `?expand=6.1&expand=6.12`. */
const list = (item: z.ZodString) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item));

const offset = z.string().regex(/^\d{1,7}$/, "must be a row or column number").transform(Number);

export const matrixQuerySchema = z
  .object({
    arch: archString.optional(),
    distro: z.string().regex(/^[a-z]+$/).optional(),
    flavour: z.string().regex(/^[a-z0-9_.-]+$/).optional(),
    /** `generic`: only each distro's generic flavour (isGenericFlavour: no rt, cloud…); the module page's default. Default here: all */
    flavours: z.enum(["generic", "all"]).optional(),
    from: series.optional(),
    to: series.optional(),
    expand: list(series).optional(),
    /** first version row and first expanded kernel column a matrix page draws (lib/domain/matrix-window.ts) */
    vstart: offset.optional(),
    kstart: offset.optional(),
  })
  // zod 4 runs this even when a field failed its own check: compare only two valid series.
  .refine((q) => !q.from || !q.to || !isSeries(q.from) || !isSeries(q.to) || compareSeries(q.from, q.to) <= 0, {
    message: "`from` must not be after `to`",
    path: ["from"],
  });
export type MatrixQuery = z.infer<typeof matrixQuerySchema>;

export const moduleListQuerySchema = z.object({ q: z.string().max(100).optional() });

/** GET /api/v1/kernels: newest first, one page at a time. */
export const MAX_KERNELS_PER_PAGE = 2000;
export const kernelListQuerySchema = z.object({
  series: series.optional().describe("only this series, e.g. 6.12"),
  limit: z.coerce.number().int().min(1).max(MAX_KERNELS_PER_PAGE).default(500),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});
export type KernelListQuery = z.infer<typeof kernelListQuerySchema>;

/** GET /api/v1/results/known: one page of what a source reported, in result id order. */
export const MAX_KNOWN_PER_PAGE = 20_000;
export const knownResultsQuerySchema = z.object({
  source: z.string().min(1).max(100).describe("the reporter's run.source"),
  after: z
    .string()
    .regex(/^\d{1,15}$/, "must be the `next` cursor of the previous page")
    .transform(Number)
    .optional()
    .describe("the `next` cursor of the previous page"),
  limit: z.coerce.number().int().min(1).max(MAX_KNOWN_PER_PAGE).default(MAX_KNOWN_PER_PAGE).describe("results scanned per page"),
});
export type KnownResultsQuery = z.infer<typeof knownResultsQuerySchema>;

/** The export routes (JUnit, KCIDB): one module, optionally one version. */
export const exportQuerySchema = z.object({ module: moduleSlug, version: z.string().min(1).optional() });

const importFlag = z.enum(["0", "1", "true", "false"]).optional().transform((v) => v === "1" || v === "true");
/** POST /api/v1/import/kcidb: defaults for what the document does not say. */
export const kcidbImportQuerySchema = z.object({
  module: z.string().optional(),
  version: z.string().optional(),
  kernel: z.string().optional(),
  arch: z.string().optional(),
  partial: importFlag,
});
/** POST /api/v1/import/junit: defaults for what the report does not say, and the run it becomes. */
export const junitImportQuerySchema = kcidbImportQuerySchema.extend({
  stage: z.string().optional(),
  source: z.string().optional(),
  run: z.string().optional(),
  url: z.string().optional(),
});
