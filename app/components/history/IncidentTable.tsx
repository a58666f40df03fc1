import { upstreamNote } from "@/lib/domain/kernel-release";
import { formatSignature, signaturePath } from "@/lib/domain/signature";
import type { IncidentSummary } from "@/lib/services/regressions/incident-summary";
import { IncidentRows, type IncidentRow } from "./IncidentRows";
import { fmtDate, fmtDays } from "./format";
import { TableScroll } from "@/app/components/TableScroll";

/** What a row draws, as strings (IncidentRows is a client component: its props are the payload). */
export function incidentRow(i: IncidentSummary): IncidentRow {
  return {
    id: i.id,
    slug: i.module.slug,
    name: i.module.name,
    status: i.status,
    lastGood: i.lastGoodKernel,
    firstBad: i.firstBadKernel,
    firstBadUpstream: upstreamNote(i.firstBadKernel, i.firstBadUpstream),
    lineLabel: i.lineLabel,
    arch: i.arch,
    signature: i.signature ? [formatSignature(i.signature), signaturePath(i.signature.symbol)] : null,
    errorLine: i.errorLine,
    versions: i.affectedVersions.join(", "),
    fixedIn: i.fixedIn,
    fixedInKernel: i.fixedInKernel,
    fixedOnSnapshot: i.fixedOnSnapshot ? [i.fixedOnSnapshot.version, fmtDate(i.fixedOnSnapshot.at)] : null,
    openedAt: i.openedAt.toISOString(),
    openedAtSource: i.openedAtSource,
    openedSeen: i.openedAtBasis === "seen",
    time: i.status === "open" ? `open ${fmtDays(i.days)}` : i.timeToFixDays === null ? null : fmtDays(i.timeToFixDays),
  };
}

/** Incidents as a table; `showModule` when several modules are listed. */
export function IncidentTable({ incidents, showModule = true }: { incidents: IncidentSummary[]; showModule?: boolean }) {
  return (
    <div className="overflow-x-auto rounded border border-slate-200 bg-white">
      <TableScroll label="Incidents"><table className="w-full border-collapse text-sm" data-testid="incident-table">
        <thead className="bg-slate-100 text-left text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th className="px-3 py-2">#</th>
            {showModule && <th className="px-3 py-2">Module</th>}
            <th className="px-3 py-2">Status</th>
            <th className="px-3 py-2">Broke on (last good → first bad)</th>
            <th className="px-3 py-2">Error</th>
            <th className="px-3 py-2">Versions affected</th>
            <th className="px-3 py-2">Fixed in</th>
            <th className="px-3 py-2">Opened</th>
            <th className="px-3 py-2 text-right">Open for / time to fix</th>
          </tr>
        </thead>
        <tbody>
          <IncidentRows rows={incidents.map(incidentRow)} showModule={showModule} />
        </tbody>
      </table></TableScroll>
    </div>
  );
}
