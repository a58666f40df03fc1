import { parseQuery, route } from "@/lib/http/route";
import { kernelListQuerySchema } from "@/lib/schemas/query";
import { listKernels } from "@/lib/services/get-kernel";

export const dynamic = "force-dynamic";

/** GET /api/v1/kernels?series=&limit=&offset=: known kernels, newest first, one page at a time. */
export const GET = route(async (req) => listKernels(parseQuery(req, kernelListQuerySchema)));
