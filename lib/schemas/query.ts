import { z } from "zod";
import { compareSeries } from "../domain/kernel-version";
import { archString } from "./ingest";

// The widths of the series sort key (lib/domain/kernel-version.ts SERIES_RE): `6.1000` is refused
// here with a 422 instead of throwing where the key is computed.
const SERIES_RE = /^\d{1,2}\.\d{1,3}(?:\.\d{1,5})?$/;
const series = z.string().regex(SERIES_RE, "must be a kernel series such as 6.1 or 6.12");
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
    from: series.optional(),
    to: series.optional(),
    expand: list(series).optional(),
    /** first version row and first expanded kernel column a matrix page draws (lib/domain/matrix-window.ts) */
    vstart: offset.optional(),
    kstart: offset.optional(),
  })
  // zod runs this refinement even when `from` or `to` failed above: compare only valid series.
  .refine((q) => !q.from || !q.to || !SERIES_RE.test(q.from) || !SERIES_RE.test(q.to) || compareSeries(q.from, q.to) <= 0, {
    message: "`from` must not be after `to`",
    path: ["from"],
  });
export type MatrixQuery = z.infer<typeof matrixQuerySchema>;

export const moduleListQuerySchema = z.object({ q: z.string().max(100).optional() });
