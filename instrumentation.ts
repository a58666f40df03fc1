/**
 * Next.js calls register() once per server process: start the webhook delivery worker there. Under
 * `npm start` only the writer process runs it (readers render; one poller per machine is enough).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.MODCOMPAT_WEBHOOKS !== "off" && process.env.MODCOMPAT_ROLE !== "reader") {
    const { startWebhookWorker } = await import("./lib/services/webhooks/worker");
    startWebhookWorker();
  }
}
