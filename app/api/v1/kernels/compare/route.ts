import { parseQuery, route } from "@/lib/http/route";
import { compareQuerySchema } from "@/lib/schemas/kernel-api";
import { compareKernelApis } from "@/lib/services/kernel-api/compare-kernel-apis";

export const dynamic = "force-dynamic";

/** GET /api/v1/kernels/compare?from=&to=[&limit=][&used=1]: exported symbols and headers removed, changed, added, with the module versions that use them. */
export const GET = route(async (req) => compareKernelApis(parseQuery(req, compareQuerySchema)));
