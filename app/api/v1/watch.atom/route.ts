import { publicBaseUrl } from "@/lib/http/public-url";
import { parseQuery, route } from "@/lib/http/route";
import { watchQuerySchema } from "@/lib/schemas/regressions";
import { atomResponse } from "@/lib/http/atom";
import { watchFeed } from "@/lib/services/regressions/watch-feed";

export const dynamic = "force-dynamic";

/** GET /api/v1/watch.atom?module=zfs&version=2.2&kernel=6.12[&arch=x86_64]: when a watched cell turns green (or red). */
export const GET = route(async (req) => atomResponse(await watchFeed({ ...parseQuery(req, watchQuerySchema), baseUrl: publicBaseUrl(req) })));
