import { parseQuery, route } from "@/lib/http/route";
import { matrixQuerySchema } from "@/lib/schemas/query";
import { getMatrix } from "@/lib/services/get-matrix";

export const dynamic = "force-dynamic";

/** GET /api/v1/modules/{slug}/matrix?arch=&distro=&flavour=&from=&to=&expand= — the data the matrix page shows. */
export const GET = route(async (req, params) => getMatrix(String(params.slug), parseQuery(req, matrixQuerySchema)));
