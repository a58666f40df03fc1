import { AppError } from "@/lib/services/errors";
import { parseQuery, route } from "@/lib/http/route";
import { matrixQuerySchema } from "@/lib/schemas/query";
import { getMatrix } from "@/lib/services/get-matrix";
import { getMatrixCompact } from "@/lib/services/get-matrix-compact";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/modules/{slug}/matrix?arch=&distro=&flavour=&from=&to=&expand=&format= — the data the
 * matrix page shows. `format=compact` answers columnar, from VersionCellStates, with cells only for
 * the series named in `expand` (lib/services/get-matrix-compact.ts); the default `format=full`
 * keeps the original shape (one object per cell).
 */
export const GET = route(async (req, params) => {
  const format = new URL(req.url).searchParams.get("format") ?? "full";
  if (format !== "full" && format !== "compact") {
    throw new AppError("validation_failed", "invalid query parameters", [{ path: "format", message: 'expected "full" or "compact"' }]);
  }
  const query = parseQuery(req, matrixQuerySchema);
  return format === "compact" ? getMatrixCompact(String(params.slug), query) : getMatrix(String(params.slug), query);
});
