import { publicBaseUrl } from "@/lib/http/public-url";
import { parseQuery, route } from "@/lib/http/route";
import { feedQuerySchema } from "@/lib/schemas/regressions";
import { atomResponse } from "@/lib/http/atom";
import { regressionFeed } from "@/lib/services/regressions/regression-feed";

export const dynamic = "force-dynamic";

/** Atom feed of new and fixed regressions of one module. */
export const GET = route(async (req, params) => {
  const { limit } = parseQuery(req, feedQuerySchema);
  return atomResponse(await regressionFeed({ baseUrl: publicBaseUrl(req), slug: String(params.slug), limit }));
});
