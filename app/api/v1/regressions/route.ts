import { parseQuery, route } from "@/lib/http/route";
import { regressionsQuerySchema } from "@/lib/schemas/regressions";
import { listRegressions } from "@/lib/services/regressions/list-regressions";

export const dynamic = "force-dynamic";

/** GET /api/v1/regressions?module=&status=open|fixed&series=&signature=&limit=&offset= */
export const GET = route(async (req) => listRegressions(parseQuery(req, regressionsQuerySchema)));
