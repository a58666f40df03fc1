import { publicBaseUrl } from "@/lib/http/public-url";
import { route } from "@/lib/http/route";
import { atomResponse } from "@/lib/http/atom";
import { upcomingFeed } from "@/lib/services/upcoming/upcoming-feed";

export const dynamic = "force-dynamic";

/** Atom feed of the modules that break on upcoming (rc / experimental) kernels. */
export const GET = route(async (req) => atomResponse(await upcomingFeed({ baseUrl: publicBaseUrl(req) })));
