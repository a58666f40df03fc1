import { parseQuery, route } from "@/lib/http/route";
import { exportQuerySchema } from "@/lib/schemas/query";
import { exportKcidb } from "@/lib/services/kcidb/export-kcidb";

export const dynamic = "force-dynamic";

/** GET /api/v1/export/kcidb?module=…[&version=…]: a module's raw results as a KCIDB v5.3 document. */
export const GET = route(async (req) => exportKcidb(parseQuery(req, exportQuerySchema)));
