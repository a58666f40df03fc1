import { parseQuery, route } from "@/lib/http/route";
import { knownResultsQuerySchema } from "@/lib/schemas/query";
import { knownResults } from "@/lib/services/known-results";

export const dynamic = "force-dynamic";

/** GET /api/v1/results/known?source=…[&after=…]: one page of what a source reported (runner --skip-known). */
export const GET = route(async (req) => knownResults(parseQuery(req, knownResultsQuerySchema)));
