import { z } from "zod";
import { parseQuery, route } from "@/lib/http/route";
import { knownResults } from "@/lib/services/known-results";

export const dynamic = "force-dynamic";

/** GET /api/v1/results/known?source=S — what a reporter already sent (runner --skip-known). */
export const GET = route(async (req) => knownResults(parseQuery(req, z.object({ source: z.string().min(1).max(100) })).source));
