import { atomResponse } from "@/lib/http/atom";
import { regressionAtom } from "@/lib/http/feeds";
import { publicUrl } from "@/lib/http/public-url";
import { parseQuery, route } from "@/lib/http/route";
import { feedQuerySchema } from "@/lib/schemas/regressions";
import { regressionFeed } from "@/lib/services/regressions/regression-feed";

export const dynamic = "force-dynamic";

/** Atom feed of new and fixed regressions of every module. */
export const GET = route(async (req) => {
  const { limit } = parseQuery(req, feedQuerySchema);
  return atomResponse(regressionAtom(await regressionFeed({ limit }), publicUrl(req)));
});
