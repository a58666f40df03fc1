import { atomResponse } from "@/lib/http/atom";
import { watchAtom } from "@/lib/http/feeds";
import { publicUrl } from "@/lib/http/public-url";
import { parseQuery, route } from "@/lib/http/route";
import { watchQuerySchema } from "@/lib/schemas/regressions";
import { watchFeed } from "@/lib/services/regressions/watch-feed";

export const dynamic = "force-dynamic";

/** GET /api/v1/watch.atom?module=zfs&version=2.2&kernel=6.12[&arch=x86_64]: when a watched cell turns green (or red). */
export const GET = route(async (req) => atomResponse(watchAtom(await watchFeed(parseQuery(req, watchQuerySchema)), publicUrl(req))));
