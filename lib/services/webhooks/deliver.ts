import { db } from "../../db/client";
import { DELIVERY_MAX_ATTEMPTS, retryDelayMs, SIGNATURE_HEADER } from "../../domain/webhook";
import { signBody } from "./signature";

export interface DeliverOptions {
  now?: Date;
  /** deliveries claimed per call */
  limit?: number;
  timeoutMs?: number;
  /** how long a claim protects a delivery from other workers; a worker that dies mid-send loses it after this */
  leaseMs?: number;
  fetchImpl?: typeof fetch;
}

export interface DeliverSummary {
  delivered: number;
  retrying: number;
  failed: number;
}

/**
 * Send the deliveries that are due, each signed with its subscriber's secret. A claim (lockedUntil)
 * keeps several workers (replicas) from sending the same delivery; a failed send is retried with
 * back-off until DELIVERY_MAX_ATTEMPTS, then marked failed. Every attempt is recorded.
 */
export async function deliverDue(opts: DeliverOptions = {}): Promise<DeliverSummary> {
  const now = opts.now ?? new Date();
  const lease = new Date(now.getTime() + (opts.leaseMs ?? 60_000));
  const claimed = await db().$queryRaw<{ id: number }[]>`
    UPDATE "WebhookDelivery" SET "lockedUntil" = ${lease}
    WHERE id IN (
      SELECT id FROM "WebhookDelivery"
      WHERE status = 'pending' AND "nextAttemptAt" <= ${now} AND ("lockedUntil" IS NULL OR "lockedUntil" < ${now})
      ORDER BY id LIMIT ${opts.limit ?? 20}
      FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  const summary: DeliverSummary = { delivered: 0, retrying: 0, failed: 0 };
  if (claimed.length === 0) return summary;
  const rows = await db().webhookDelivery.findMany({ where: { id: { in: claimed.map((c) => c.id) } }, include: { subscription: true }, orderBy: { id: "asc" } });
  const send = opts.fetchImpl ?? fetch;
  await Promise.all(
    rows.map(async (d) => {
      const body = JSON.stringify({ id: d.eventKey, ...(d.payload as Record<string, unknown>), createdAt: d.createdAt.toISOString() });
      let status: number | null = null;
      let error: string | null = null;
      try {
        const res = await send(d.subscription.url, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "User-Agent": "ModCompat-Webhook/1",
            [SIGNATURE_HEADER]: signBody(d.subscription.secret, body),
            "X-ModCompat-Event": d.event,
            "X-ModCompat-Delivery": String(d.id),
          },
          body,
          signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
          redirect: "manual",
        });
        status = res.status;
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) error = `HTTP ${res.status}`;
      } catch (e) {
        error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      }
      const attempts = d.attempts + 1;
      if (!error) {
        summary.delivered++;
        await db().webhookDelivery.update({ where: { id: d.id }, data: { status: "delivered", attempts, lastStatusCode: status, lastError: null, deliveredAt: new Date(), lockedUntil: null } });
      } else {
        const giveUp = attempts >= DELIVERY_MAX_ATTEMPTS;
        summary[giveUp ? "failed" : "retrying"]++;
        await db().webhookDelivery.update({
          where: { id: d.id },
          data: { status: giveUp ? "failed" : "pending", attempts, lastStatusCode: status, lastError: error.slice(0, 1000), nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)), lockedUntil: null },
        });
      }
    }),
  );
  return summary;
}

/** Delivered rows are kept this long (for `webhook list` and debugging), then pruned by the worker. */
export const DELIVERED_RETENTION_DAYS = 30;

export async function pruneDelivered(now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - DELIVERED_RETENTION_DAYS * 86_400_000);
  return (await db().webhookDelivery.deleteMany({ where: { status: "delivered", deliveredAt: { lt: before } } })).count;
}
