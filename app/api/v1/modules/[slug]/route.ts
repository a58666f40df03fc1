import { route } from "@/lib/http/route";
import { getModule } from "@/lib/services/get-module";

export const dynamic = "force-dynamic";

export const GET = route(async (_req, params) => ({ module: await getModule(String(params.slug)) }));
