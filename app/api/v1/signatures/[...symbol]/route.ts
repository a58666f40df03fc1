import { route } from "@/lib/http/route";
import { symbolFromSegments } from "@/lib/domain/signature";
import { getSignature } from "@/lib/services/regressions/list-signatures";

export const dynamic = "force-dynamic";

/** GET /api/v1/signatures/strlcpy, /api/v1/signatures/asm/unaligned.h: the modules one kernel change broke. */
export const GET = route(async (_req, params) => {
  const segments = Array.isArray(params.symbol) ? params.symbol : [String(params.symbol)];
  return getSignature(symbolFromSegments(segments));
});
