import { z } from "zod";
import { kernelVersionString, moduleSlug, moduleVersionString } from "./ingest";

/** At most this many items per list of a compare answer (the counts are always complete). */
export const MAX_COMPARE_ITEMS = 2000;

export const compareQuerySchema = z
  .object({
    from: kernelVersionString,
    to: kernelVersionString,
    /** items per list; lists are ordered with the items some module uses first */
    limit: z
      .string()
      .regex(/^\d{1,5}$/, "must be a number")
      .transform(Number)
      .pipe(z.int().min(1).max(MAX_COMPARE_ITEMS))
      .optional(),
    /** only items that some module's footprint uses */
    used: z.enum(["1", "0"]).optional(),
  })
  .strict()
  .refine((q) => q.from !== q.to, { message: "`from` and `to` name the same kernel", path: ["to"] });
export type CompareQuery = z.infer<typeof compareQuerySchema>;

const user = z.object({
  module: z.string(),
  version: z.string(),
  /**
   * how it uses the item: "imports" (an undefined symbol of its .ko that its sources name),
   * "calls" (named in its sources, inlined away in the build), "emitted" (an undefined symbol its
   * sources never name: the old kernel's own inlines and macros emitted it), "includes" (a header)
   */
  via: z.enum(["imports", "calls", "emitted", "includes"]),
  /** the kernel whose build gave the footprint */
  kernel: z.string(),
});
const symbolSide = z.object({ crc: z.string(), gplOnly: z.boolean(), namespace: z.string() });
const symbolItem = z
  .object({
    name: z.string(),
    exporter: z.string(),
    /** no longer exported, but the target's headers still define it as a macro or inline (6.12's vmalloc) */
    stillCallable: z.boolean(),
    usedBy: z.array(user),
  })
  .extend(symbolSide.shape);
const snapshotInfo = z.object({ kernel: z.string(), symbols: z.int(), headers: z.int(), importedAt: z.string(), sourceDir: z.string() });

export const compareResponseSchema = z.object({
  from: snapshotInfo,
  to: snapshotInfo,
  counts: z.object({
    removedSymbols: z.int(),
    addedSymbols: z.int(),
    changedSymbols: z.int(),
    crcChanged: z.int(),
    licenceChanged: z.int(),
    namespaceChanged: z.int(),
    removedHeaders: z.int(),
    addedHeaders: z.int(),
    unchangedSymbols: z.int(),
  }),
  removedSymbols: z.array(symbolItem),
  changedSymbols: z.array(z.object({ name: z.string(), changes: z.array(z.enum(["crc", "licence", "namespace"])), from: symbolSide, to: symbolSide, usedBy: z.array(user) })),
  addedSymbols: z.array(z.object({ name: z.string(), gplOnly: z.boolean(), namespace: z.string(), exporter: z.string() })),
  removedHeaders: z.array(z.object({ path: z.string(), usedBy: z.array(user) })),
  addedHeaders: z.array(z.string()),
  /** module versions whose sources name (or include) something removed, or use something whose licence or namespace changed */
  /**
   * per module version: the removed exports it imports or calls (not those the new headers still
   * provide), removed headers it includes, header names its sources use that the target no longer
   * defines anywhere (as the prediction's reference rule), and licence/namespace changes
   */
  affected: z.array(z.object({ module: z.string(), version: z.string(), removed: z.array(z.string()), changed: z.array(z.string()) })),
  footprints: z.object({ moduleVersions: z.int(), truncated: z.boolean() }),
  limit: z.int(),
  truncated: z.boolean(),
});
export type CompareResponse = z.infer<typeof compareResponseSchema>;

export const predictQuerySchema = z
  .object({ module: moduleSlug, version: moduleVersionString, kernel: kernelVersionString })
  .strict();

/** A prediction as the check and the API show it (lib/domain/prediction.ts). */
export const predictionOutSchema = z.object({
  outcome: z.enum(["fail", "pass", "unknown"]),
  strength: z.enum(["strong", "weak"]),
  summary: z.string(),
  /** "likely broken (predicted: strlcpy removed)"; null for unknown */
  label: z.string().nullable(),
  reasons: z.array(z.object({ kind: z.string(), name: z.string(), on: z.string().optional().describe("built-without-it: the kernel it built on without it") })),
  /** the kernel whose real build gave the footprint */
  footprintKernel: z.string().nullable(),
  predicted: z.literal(true),
});
export type PredictionOut = z.infer<typeof predictionOutSchema>;

export const predictResponseSchema = z.object({
  module: z.string(),
  version: z.string(),
  kernel: z.string(),
  footprintKernel: z.string().nullable().describe("the kernel whose real build gave the footprint; null: none"),
  prediction: z.object({
    outcome: z.enum(["fail", "pass", "unknown"]),
    strength: z.enum(["strong", "weak"]),
    reasons: z.array(z.object({ kind: z.string(), name: z.string(), on: z.string().optional().describe("built-without-it: the kernel it built on without it") })),
    summary: z.string(),
  }),
  predicted: z.literal(true).describe("always true: a prediction, never a build result"),
});
