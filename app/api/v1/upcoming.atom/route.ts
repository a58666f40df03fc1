import { atomResponse } from "@/lib/http/atom";
import { upcomingAtom } from "@/lib/http/feeds";
import { publicUrl } from "@/lib/http/public-url";
import { route } from "@/lib/http/route";
import { listUpcoming } from "@/lib/services/upcoming/list-upcoming";

export const dynamic = "force-dynamic";

/** Atom feed of the modules that break on upcoming (rc / experimental) kernels. */
export const GET = route(async (req) => atomResponse(upcomingAtom(await listUpcoming(), publicUrl(req))));
