import { route } from "@/lib/http/route";
import { requireAdmin } from "@/lib/services/admin";
import { AppError } from "@/lib/services/errors";
import { removeWebhook } from "@/lib/services/webhooks/subscriptions";

export const dynamic = "force-dynamic";

/** DELETE /api/v1/webhooks/{id}: unsubscribe; pending deliveries go with it (admin token). */
export const DELETE = route(async (req, params) => {
  requireAdmin(req.headers.get("authorization"));
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) throw new AppError("validation_failed", `webhook id must be a positive integer, got "${String(params.id)}"`);
  return { removed: await removeWebhook(id) };
});
