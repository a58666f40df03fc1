import { parseQuery, route } from "@/lib/http/route";
import { resultsToJunit } from "@/lib/junit/write";
import { exportQuerySchema } from "@/lib/schemas/query";
import { loadExportRows } from "@/lib/services/kcidb/export-kcidb";

export const dynamic = "force-dynamic";

/** GET /api/v1/export/junit?module=…[&version=…]: a module's raw results as JUnit XML. */
export const GET = route(async (req) => {
  const xml = resultsToJunit(await loadExportRows(parseQuery(req, exportQuerySchema)));
  return new Response(xml, { headers: { "content-type": "application/xml; charset=utf-8" } });
});
