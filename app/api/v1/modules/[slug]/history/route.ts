import { route } from "@/lib/http/route";
import { getModuleHistory } from "@/lib/services/history/get-module-history";

export const dynamic = "force-dynamic";

/** The maintainers' history of one module: incidents, timeline, pass rate, time to fix, support lag. */
export const GET = route(async (_req, params) => getModuleHistory(String(params.slug)));
