/** Next.js calls register() once per server process: start the webhook delivery worker there. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.MODCOMPAT_WEBHOOKS !== "off") {
    const { startWebhookWorker } = await import("./lib/services/webhooks/worker");
    startWebhookWorker();
  }
}
