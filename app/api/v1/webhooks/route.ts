import { answer, readJsonBody, route } from "@/lib/http/route";
import { requireAdmin } from "@/lib/services/admin";
import { addWebhook, listWebhooks } from "@/lib/services/webhooks/subscriptions";

export const dynamic = "force-dynamic";

/** GET /api/v1/webhooks: the subscriptions with their delivery counts (admin token). */
export const GET = route(async (req) => {
  requireAdmin(req.headers.get("authorization"));
  return { webhooks: await listWebhooks() };
});

/** POST /api/v1/webhooks: subscribe; the answer holds the signing secret, once (admin token). */
export const POST = route(async (req) => {
  requireAdmin(req.headers.get("authorization"));
  return answer(await addWebhook(await readJsonBody(req, 64 * 1024)), 201);
});
