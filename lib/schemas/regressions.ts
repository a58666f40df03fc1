import { z } from "zod";
import { INCIDENT_STATUSES } from "../domain/regressions";

/** How the regressions list can be ordered; each with the sentence the page shows. */
export const REGRESSION_SORTS = ["newest", "oldest", "module", "series", "open-longest"] as const;
export type RegressionSort = (typeof REGRESSION_SORTS)[number];
export const REGRESSION_SORT_LABEL: Record<RegressionSort, string> = {
  newest: "newest first: by when the regression began (the first bad kernel's release date, else when the failure was first seen)",
  oldest: "oldest first: by when the regression began",
  module: "by module, then newest first",
  series: "by the first bad kernel's series, newest series first",
  "open-longest": "open ones first, longest open first",
};
import { archString, kernelVersionString, moduleSlug, moduleVersionString } from "./ingest";
import { kernelSeriesString as series } from "./query";

const emptyToUndefined = (v: unknown) => (v === "" ? undefined : v);

/** GET /api/v1/regressions and the /regressions page share these filters. */
export const regressionsQuerySchema = z.object({
  module: z.preprocess(emptyToUndefined, moduleSlug.optional()),
  status: z.preprocess(emptyToUndefined, z.enum(INCIDENT_STATUSES).optional()),
  series: z.preprocess(emptyToUndefined, series.optional()),
  signature: z.preprocess(emptyToUndefined, z.string().min(1).max(200).optional()),
  /** list order (REGRESSION_SORTS); default newest: the most recently opened first */
  sort: z.preprocess(emptyToUndefined, z.enum(REGRESSION_SORTS).default("newest")),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type RegressionsQuery = z.infer<typeof regressionsQuerySchema>;

export const incidentIdSchema = z.coerce.number().int().min(1).max(2_147_483_647);

export const feedQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/**
 * The watched-cell feed: one module, optionally one version (exact, or a prefix such as "2.2" for
 * every 2.2.x), and a kernel given exactly ("6.12.107+deb12-amd64") or as a series ("6.12").
 */
export const watchQuerySchema = z.object({
  module: moduleSlug,
  version: z.preprocess(emptyToUndefined, moduleVersionString.optional()),
  kernel: z.union([series, kernelVersionString]),
  arch: z.preprocess(emptyToUndefined, archString.optional()),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type WatchQuery = z.infer<typeof watchQuerySchema>;

export const cellHistoryQuerySchema = z.object({
  arch: z.preprocess(emptyToUndefined, archString.optional()),
});
