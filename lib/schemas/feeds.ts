import { z } from "zod";
import { VERDICTS } from "../domain/regressions";
import { SIGNATURE_KINDS } from "../domain/signature";

/**
 * What the feed services return: typed entries, no XML and no URLs. The transport
 * (lib/http/feeds.ts) renders them as Atom and makes the links absolute (lib/http/public-url.ts),
 * so the same data could serve JSON Feed, an e-mail digest or a test without HTTP. Dates are Date
 * objects: these values go from a service to a renderer in the same process, never over the wire.
 */

const moduleRef = z.strictObject({ slug: z.string(), name: z.string() });

export const regressionFeedEntrySchema = z.strictObject({
  event: z.enum(["opened", "fixed"]),
  /** when it broke (openedAt) or was fixed (fixedAt) */
  at: z.date(),
  incidentId: z.int(),
  module: moduleRef,
  arch: z.string(),
  lineLabel: z.string(),
  lastGoodKernel: z.string(),
  firstBadKernel: z.string(),
  errorLine: z.string().nullable(),
  signature: z.strictObject({ symbol: z.string(), kind: z.enum(SIGNATURE_KINDS) }).nullable(),
  affectedVersions: z.array(z.string()),
  fixedIn: z.string().nullable(),
  fixedInKernel: z.string().nullable(),
});
export type RegressionFeedEntry = z.infer<typeof regressionFeedEntrySchema>;

export const regressionFeedSchema = z.strictObject({
  /** null: the feed of every module */
  module: moduleRef.nullable(),
  /** newest first, at most the asked limit */
  entries: z.array(regressionFeedEntrySchema),
});
export type RegressionFeed = z.infer<typeof regressionFeedSchema>;

export const watchFeedEntrySchema = z.strictObject({
  /** the result whose run changed the cell's verdict */
  resultId: z.int(),
  at: z.date(),
  version: z.string(),
  kernel: z.string(),
  arch: z.string(),
  verdict: z.enum(VERDICTS),
  /** null: the cell's first verdict */
  previous: z.enum(VERDICTS).nullable(),
  errorLine: z.string().nullable(),
  logUrl: z.string().nullable(),
});
export type WatchFeedEntry = z.infer<typeof watchFeedEntrySchema>;

export const watchFeedSchema = z.strictObject({
  module: moduleRef,
  /** what is watched, as asked (version and kernel may be prefixes / a series) */
  watch: z.strictObject({ version: z.string().optional(), kernel: z.string(), arch: z.string().optional() }),
  /** newest first, at most the asked limit */
  entries: z.array(watchFeedEntrySchema),
});
export type WatchFeed = z.infer<typeof watchFeedSchema>;
