import { parseQuery, route } from "@/lib/http/route";
import { moduleListQuerySchema } from "@/lib/schemas/query";
import { listModules, MODULE_LIST_MAX } from "@/lib/services/list-modules";

export const dynamic = "force-dynamic";

export const GET = route(async (req) => {
  const { q } = parseQuery(req, moduleListQuerySchema);
  const rows = await listModules({ q, limit: MODULE_LIST_MAX + 1 });
  const truncated = rows.length > MODULE_LIST_MAX;
  return {
    modules: rows.slice(0, MODULE_LIST_MAX),
    ...(truncated ? { truncated: true, narrow: `more than ${MODULE_LIST_MAX} modules match; narrow with ?q=` } : {}),
  };
});
