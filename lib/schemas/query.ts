import { z } from "zod";
import { SERIES_SYNTAX, compareSeries, isSeries } from "../domain/kernel-version";
import { archString } from "./ingest";

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
