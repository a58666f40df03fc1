import { route } from "@/lib/http/route";
import { getKernel } from "@/lib/services/get-kernel";

export const dynamic = "force-dynamic";

export const GET = route(async (_req, params) => getKernel(String(params.version)));
