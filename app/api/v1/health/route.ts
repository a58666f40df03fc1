import { answer, route } from "@/lib/http/route";
import { RETRY_AFTER_SECONDS } from "@/lib/db/availability";
import { getHealth } from "@/lib/services/get-health";

export const dynamic = "force-dynamic";

/** GET /api/v1/health: 200 when the app can reach its database, else 503 with Retry-After. */
export const GET = route(async () => {
  const h = await getHealth();
  return answer(h, h.status === "ok" ? 200 : 503, {
    "cache-control": "no-store",
    ...(h.status === "ok" ? {} : { "retry-after": String(RETRY_AFTER_SECONDS) }),
  });
});
