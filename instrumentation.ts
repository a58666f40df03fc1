/**
 * Next.js calls register() once per server process: start the webhook delivery worker there. Under
 * `npm start` only the writer process runs it (readers render; one poller per machine is enough).
 * Every server process also collects its garbage once when it goes quiet after work
 * (lib/http/idle-gc.ts; MODCOMPAT_IDLE_GC=off leaves it to V8).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.MODCOMPAT_WEBHOOKS !== "off" && process.env.MODCOMPAT_ROLE !== "reader") {
    const { startWebhookWorker } = await import("./lib/services/webhooks/worker");
    startWebhookWorker();
  }
  if (process.env.MODCOMPAT_IDLE_GC !== "off") {
    const { startIdleCollector } = await import("./lib/http/idle-gc");
    startIdleCollector();
  }
}
