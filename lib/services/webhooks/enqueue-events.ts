import type { Tx } from "../../db/client";
import { subscriptionMatches, type EventScope, type WebhookEvent } from "../../domain/webhook";
import type { Prisma } from "../../generated/prisma/client";

interface PendingEvent extends EventScope {
  key: string;
  payload: Record<string, unknown>;
}

/**
 * The outbox side of webhooks, inside the ingest transaction: the events this run caused
 * (incidents it opened or fixed, failures on upcoming kernels: release candidates and linux-next)
 * become one delivery row per matching subscriber. Keys are unique per subscriber, so replays,
 * recomputes and overlapping runs never send an event twice. Nothing here talks to the network.
 */
export async function enqueueWebhookEvents(tx: Tx, scope: { runId: number }): Promise<number> {
  const subs = await tx.webhookSubscription.findMany({ select: { id: true, module: true, series: true, kernel: true, events: true } });
  if (subs.length === 0) return 0;
  const resultIds = (await tx.result.findMany({ where: { runId: scope.runId }, select: { id: true } })).map((r) => r.id);
  const events: PendingEvent[] = [];
  const kernelSel = { select: { version: true } } as const;
  const incidents = await tx.incident.findMany({
    where: { OR: [{ openedResultId: { in: resultIds } }, { fixedResultId: { in: resultIds } }] },
    include: { module: { select: { slug: true } }, lastGoodKernel: kernelSel, firstBadKernel: kernelSel, fixedInKernel: kernelSel, fixedInVersion: { select: { version: true } } },
  });
  const opened = new Set(resultIds);
  for (const i of incidents) {
    const incident = {
      id: i.id,
      arch: i.arch,
      line: i.line,
      series: i.series,
      lastGoodKernel: i.lastGoodKernel.version,
      firstBadKernel: i.firstBadKernel.version,
      errorLine: i.errorLine,
      signature: i.signature,
      openedAt: i.openedAt.toISOString(),
      status: i.status,
      fixedInVersion: i.fixedInVersion?.version ?? null,
      fixedInKernel: i.fixedInKernel?.version ?? null,
      fixedAt: i.fixedAt?.toISOString() ?? null,
      links: { html: `/regressions/${i.id}`, api: `/api/v1/regressions/${i.id}` },
    };
    const base = { module: i.module.slug, series: i.series, kernels: [i.lastGoodKernel.version, i.firstBadKernel.version] };
    const add = (event: WebhookEvent) => events.push({ ...base, event, key: `${event}:${i.id}`, payload: { event, module: i.module.slug, incident } });
    if (opened.has(i.openedResultId)) add("incident.opened");
    if (i.status === "fixed" && i.fixedResultId !== null && opened.has(i.fixedResultId)) add("incident.fixed");
  }
  const upcoming = await tx.result.findMany({
    where: { runId: scope.runId, status: "fail", kernel: { OR: [{ rc: { not: null } }, { series: "next" }] } },
    select: { arch: true, stage: true, errorLine: true, finishedAt: true, kernel: { select: { id: true, version: true, series: true } }, moduleVersion: { select: { id: true, version: true, module: { select: { slug: true } } } } },
  });
  for (const r of upcoming) {
    const event = "kernel.upcoming_broken" as const;
    events.push({
      event,
      key: `${event}:${r.moduleVersion.id}:${r.kernel.id}:${r.arch}`,
      module: r.moduleVersion.module.slug,
      series: r.kernel.series,
      kernels: [r.kernel.version],
      payload: {
        event,
        module: r.moduleVersion.module.slug,
        version: r.moduleVersion.version,
        kernel: r.kernel.version,
        series: r.kernel.series,
        arch: r.arch,
        stage: r.stage,
        errorLine: r.errorLine,
        finishedAt: r.finishedAt.toISOString(),
      },
    });
  }
  const rows = events.flatMap((e) =>
    subs
      .filter((s) => subscriptionMatches(s, e))
      .map((s) => ({ subscriptionId: s.id, eventKey: e.key, event: e.event, payload: e.payload as Prisma.InputJsonValue })),
  );
  if (rows.length === 0) return 0;
  return (await tx.webhookDelivery.createMany({ data: rows, skipDuplicates: true })).count;
}
