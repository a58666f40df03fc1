import { parseQuery, route } from "@/lib/http/route";
import { moduleListQuerySchema } from "@/lib/schemas/query";
import { listModules } from "@/lib/services/list-modules";

export const dynamic = "force-dynamic";

export const GET = route(async (req) => {
  const { q } = parseQuery(req, moduleListQuerySchema);
  return { modules: await listModules({ q }) };
});
