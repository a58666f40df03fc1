import { z } from "zod";
import { parseQuery, route } from "@/lib/http/route";
import { moduleSlug } from "@/lib/schemas/ingest";
import { exportKcidb } from "@/lib/services/kcidb/export-kcidb";

export const dynamic = "force-dynamic";

const querySchema = z.object({ module: moduleSlug, version: z.string().min(1).optional() });

/** GET /api/v1/export/kcidb?module=…[&version=…]: a module's raw results as a KCIDB v5.3 document. */
export const GET = route(async (req) => exportKcidb(parseQuery(req, querySchema)));
