import { z } from "zod";
import { parseQuery, route } from "@/lib/http/route";
import { resultsToJunit } from "@/lib/junit/write";
import { moduleSlug } from "@/lib/schemas/ingest";
import { loadExportRows } from "@/lib/services/kcidb/export-kcidb";

export const dynamic = "force-dynamic";

const querySchema = z.object({ module: moduleSlug, version: z.string().min(1).optional() });

/** GET /api/v1/export/junit?module=…[&version=…]: a module's raw results as JUnit XML. */
export const GET = route(async (req) => {
  const xml = resultsToJunit(await loadExportRows(parseQuery(req, querySchema)));
  return new Response(xml, { headers: { "content-type": "application/xml; charset=utf-8" } });
});
