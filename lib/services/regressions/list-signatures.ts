import { db } from "../../db/client";
import { groupBySignature, type SignatureGroup, type SignatureKind } from "../../domain/signature";
import type { IncidentStatus } from "../../domain/regressions";
import { upstreamRemovalText, type UpstreamRemoval } from "../../domain/upstream-removal";
import { AppError, notFound } from "../errors";
import { getUpstreamRemoval } from "../kernel-api/get-upstream-removal";
import { loadIncidentRows } from "./incident-rows";
import { toSummary, type IncidentSummary } from "./incident-summary";

async function signatureIncidents(symbol?: string) {
  const rows = await db().incident.findMany({
    where: symbol ? { signature: symbol } : { signature: { not: null } },
    select: {
      id: true,
      signature: true,
      signatureKind: true,
      series: true,
      status: true,
      module: { select: { slug: true } },
      lastGoodKernel: { select: { series: true } },
      firstBadKernel: { select: { version: true } },
      fixedInVersion: { select: { version: true } },
      fixedInKernel: { select: { version: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    module: r.module.slug,
    symbol: r.signature!,
    kind: r.signatureKind as SignatureKind,
    lastGoodSeries: r.lastGoodKernel.series,
    series: r.series,
    firstBadKernel: r.firstBadKernel.version,
    status: r.status as IncidentStatus,
    fixedIn: r.fixedInVersion?.version ?? null,
    fixedInKernel: r.fixedInKernel?.version ?? null,
  }));
}

/** Kernel changes that broke modules, one group per symbol, the most widespread first. */
export async function listSignatures(): Promise<{ signatures: SignatureGroup[]; unclassified: number }> {
  const [incidents, unclassified] = await Promise.all([signatureIncidents(), db().incident.count({ where: { signature: null } })]);
  return { signatures: groupBySignature(incidents), unclassified };
}

export interface SignatureDetail {
  signature: SignatureGroup;
  incidents: IncidentSummary[];
  /** where the symbol or header went away upstream, from the kernel API snapshots; null when they cannot tell */
  upstream: (UpstreamRemoval & { text: string }) | null;
}

export async function getSignature(symbol: string): Promise<SignatureDetail> {
  if (symbol.length === 0 || symbol.length > 200) throw new AppError("validation_failed", "a signature is 1 to 200 characters, e.g. strlcpy");
  const [group] = groupBySignature(await signatureIncidents(symbol));
  if (!group) throw notFound(`signature "${symbol}"`);
  const rows = await loadIncidentRows({ signature: symbol }, "oldest");
  const now = new Date();
  const removal = await getUpstreamRemoval(group);
  return { signature: group, incidents: rows.map((r) => toSummary(r, now)), upstream: removal && { ...removal, text: upstreamRemovalText(removal) } };
}
