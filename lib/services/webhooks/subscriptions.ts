import { randomBytes } from "node:crypto";
import { db } from "../../db/client";
import { webhookInputSchema, type WebhookView } from "../../schemas/webhooks";
import { AppError, issuesFromZod, notFound } from "../errors";

/** A documented cap: every ingest reads all subscriptions to match its events. */
export const MAX_WEBHOOKS = 1000;

/** The secret is returned once, here; deliveries are signed with it. */
export async function addWebhook(input: unknown): Promise<WebhookView & { secret: string }> {
  const parsed = webhookInputSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "invalid webhook subscription", issuesFromZod(parsed.error.issues));
  if ((await db().webhookSubscription.count()) >= MAX_WEBHOOKS) throw new AppError("conflict", `at most ${MAX_WEBHOOKS} webhooks; remove some first`);
  const w = parsed.data;
  const secret = w.secret ?? `whsec_${randomBytes(24).toString("base64url")}`;
  const row = await db().webhookSubscription.create({
    data: { url: w.url, secret, module: w.module ?? null, series: w.series ?? null, kernel: w.kernel ?? null, events: w.events ?? [] },
  });
  return { ...view(row, []), secret };
}

type Row = { id: number; url: string; module: string | null; series: string | null; kernel: string | null; events: string[]; createdAt: Date };

function view(r: Row, counts: { status: string; _count: { _all: number } }[]): WebhookView {
  const n = (s: string) => counts.find((c) => c.status === s)?._count._all ?? 0;
  return {
    id: r.id,
    url: r.url,
    module: r.module,
    series: r.series,
    kernel: r.kernel,
    events: r.events,
    createdAt: r.createdAt.toISOString(),
    deliveries: { pending: n("pending"), delivered: n("delivered"), failed: n("failed") },
  };
}

export async function listWebhooks(): Promise<WebhookView[]> {
  const rows = await db().webhookSubscription.findMany({ orderBy: { id: "asc" } });
  const counts = await db().webhookDelivery.groupBy({ by: ["subscriptionId", "status"], _count: { _all: true } });
  return rows.map((r) => view(r, counts.filter((c) => c.subscriptionId === r.id)));
}

export async function removeWebhook(id: number): Promise<{ id: number; url: string }> {
  if (!Number.isInteger(id) || id <= 0) throw new AppError("validation_failed", `webhook id must be a positive integer, got ${id}`);
  const row = await db().webhookSubscription.findUnique({ where: { id } });
  if (!row) throw notFound(`webhook ${id}`);
  await db().webhookSubscription.delete({ where: { id } });
  return { id: row.id, url: row.url };
}
