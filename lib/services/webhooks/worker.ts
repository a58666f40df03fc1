import { deliverDue, pruneDelivered } from "./deliver";

const state = globalThis as unknown as { __modcompatWebhookWorker?: NodeJS.Timeout };

/**
 * The delivery loop started with the app (instrumentation.ts): polls the outbox every
 * `intervalMs`. Nothing is kept in memory, so a restart loses nothing: pending deliveries stay in
 * the table, and a claim left by a killed process expires. Safe with several replicas.
 */
export function startWebhookWorker(intervalMs = Number(process.env.MODCOMPAT_WEBHOOK_POLL_MS ?? 2000)): void {
  if (state.__modcompatWebhookWorker) return;
  let busy = false;
  let rounds = 0;
  state.__modcompatWebhookWorker = setInterval(() => {
    if (busy) return;
    busy = true;
    // about once an hour at the default interval
    const prune = rounds++ % 1800 === 0 ? pruneDelivered() : Promise.resolve(0);
    prune
      .then(() => deliverDue())
      .catch((e: unknown) => console.error("[webhooks] delivery round failed:", e instanceof Error ? e.message : e))
      .finally(() => {
        busy = false;
      });
  }, intervalMs);
  state.__modcompatWebhookWorker.unref();
}

export function stopWebhookWorker(): void {
  if (state.__modcompatWebhookWorker) clearInterval(state.__modcompatWebhookWorker);
  state.__modcompatWebhookWorker = undefined;
}
