import { parseQuery, route } from "@/lib/http/route";
import { predictQuerySchema } from "@/lib/schemas/kernel-api";
import { predictForModule } from "@/lib/services/predictions/predict-for-module";

export const dynamic = "force-dynamic";

/** GET /api/v1/predict?module=&version=&kernel=: a predicted verdict (never a result) from the footprint and the kernel's API snapshot. */
export const GET = route(async (req) => predictForModule(parseQuery(req, predictQuerySchema)));
