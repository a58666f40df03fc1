import { sql, type SqlTarget } from "../../db/sql";
import { subscriptionMatches, type EventScope, type WebhookEvent } from "../../domain/webhook";
import { Prisma } from "../../generated/prisma/client";
import { regressionApi, regressionPage } from "../../links";

interface IncidentRow {
  id: number;
  arch: string;
  line: string;
  series: string;
  status: string;
  errorLine: string | null;
  signature: string | null;
  openedAt: Date;
  fixedAt: Date | null;
  module: string;
  lastGood: string;
  firstBad: string;
  fixedKernel: string | null;
  fixedVersion: string | null;
  openedHere: boolean;
  fixedHere: boolean;
}

interface UpcomingRow {
  arch: string;
  stage: string;
  errorLine: string | null;
  finishedAt: Date;
  kernelId: number;
  kernel: string;
  series: string;
  versionId: number;
  version: string;
  module: string;
}

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
export async function enqueueWebhookEvents(tx: SqlTarget, scope: { runId: number }): Promise<number> {
  const subs = await sql<{ id: number; module: string | null; series: string | null; kernel: string | null; events: string[] }>(
    tx,
    Prisma.sql`SELECT id, module, series, kernel, events FROM "WebhookSubscription" ORDER BY id`,
  );
  if (subs.length === 0) return 0;
  const events: PendingEvent[] = [];
  // Plain joins: one statement each inside the ingest transaction (Prisma's nested includes would
  // send several queries at once on the transaction's single connection).
  const incidents = await sql<IncidentRow>(tx, Prisma.sql`
    SELECT i.id, i.arch, i.line, i.series, i.status, i."errorLine", i.signature, i."openedAt", i."fixedAt",
           m.slug AS module, lg.version AS "lastGood", fb.version AS "firstBad", fk.version AS "fixedKernel", fv.version AS "fixedVersion",
           i."openedResultId" IN (SELECT id FROM "Result" WHERE "runId" = ${scope.runId}) AS "openedHere",
           COALESCE(i."fixedResultId" IN (SELECT id FROM "Result" WHERE "runId" = ${scope.runId}), false) AS "fixedHere"
    FROM "Incident" i
    JOIN "Module" m ON m.id = i."moduleId"
    JOIN "Kernel" lg ON lg.id = i."lastGoodKernelId"
    JOIN "Kernel" fb ON fb.id = i."firstBadKernelId"
    LEFT JOIN "Kernel" fk ON fk.id = i."fixedInKernelId"
    LEFT JOIN "ModuleVersion" fv ON fv.id = i."fixedInVersionId"
    WHERE i."openedResultId" IN (SELECT id FROM "Result" WHERE "runId" = ${scope.runId})
       OR i."fixedResultId" IN (SELECT id FROM "Result" WHERE "runId" = ${scope.runId})`);
  for (const i of incidents) {
    const incident = {
      id: i.id,
      arch: i.arch,
      line: i.line,
      series: i.series,
      lastGoodKernel: i.lastGood,
      firstBadKernel: i.firstBad,
      errorLine: i.errorLine,
      signature: i.signature,
      openedAt: i.openedAt.toISOString(),
      status: i.status,
      fixedInVersion: i.fixedVersion,
      fixedInKernel: i.fixedKernel,
      fixedAt: i.fixedAt?.toISOString() ?? null,
      // Relative on purpose: the payload is stored at ingest and sent later by a worker, with no
      // request whose host it could name; subscribers resolve it against the server they subscribed to.
      links: { html: regressionPage(i.id), api: regressionApi(i.id) },
    };
    const base = { module: i.module, series: i.series, kernels: [i.lastGood, i.firstBad] };
    const add = (event: WebhookEvent) => events.push({ ...base, event, key: `${event}:${i.id}`, payload: { event, module: i.module, incident } });
    if (i.openedHere) add("incident.opened");
    if (i.status === "fixed" && i.fixedHere) add("incident.fixed");
  }
  const upcoming = await sql<UpcomingRow>(tx, Prisma.sql`
    SELECT r.arch, r.stage, r."errorLine", r."finishedAt", k.id AS "kernelId", k.version AS kernel, k.series,
           mv.id AS "versionId", mv.version, m.slug AS module
    FROM "Result" r
    JOIN "Kernel" k ON k.id = r."kernelId"
    JOIN "ModuleVersion" mv ON mv.id = r."moduleVersionId"
    JOIN "Module" m ON m.id = mv."moduleId"
    WHERE r."runId" = ${scope.runId} AND r.status = 'fail' AND (k.rc IS NOT NULL OR k.series = 'next')`);
  for (const r of upcoming) {
    const event = "kernel.upcoming_broken" as const;
    events.push({
      event,
      key: `${event}:${r.versionId}:${r.kernelId}:${r.arch}`,
      module: r.module,
      series: r.series,
      kernels: [r.kernel],
      payload: { event, module: r.module, version: r.version, kernel: r.kernel, series: r.series, arch: r.arch, stage: r.stage, errorLine: r.errorLine, finishedAt: r.finishedAt.toISOString() },
    });
  }
  const rows = events.flatMap((e) =>
    subs.filter((s) => subscriptionMatches(s, e)).map((s) => ({ subscriptionId: s.id, eventKey: e.key, event: e.event, payload: JSON.stringify(e.payload) })),
  );
  if (rows.length === 0) return 0;
  // A key already queued for a subscriber is skipped (replays, recomputes, overlapping runs).
  const inserted = await sql<{ id: number }>(
    tx,
    Prisma.sql`
    INSERT INTO "WebhookDelivery" ("subscriptionId", "eventKey", event, payload)
    SELECT s, k, e, p::jsonb FROM unnest(${rows.map((r) => r.subscriptionId)}::int[], ${rows.map((r) => r.eventKey)}::text[],
                                         ${rows.map((r) => r.event)}::text[], ${rows.map((r) => r.payload)}::text[]) AS u(s, k, e, p)
    ON CONFLICT ("subscriptionId", "eventKey") DO NOTHING
    RETURNING id`,
  );
  return inserted.length;
}
