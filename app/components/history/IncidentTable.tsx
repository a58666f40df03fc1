import Link from "next/link";
import { upstreamNote } from "@/lib/domain/kernel-release";
import { DatedText } from "../DatedText";
import { formatSignature, signaturePath } from "@/lib/domain/signature";
import type { IncidentSummary } from "@/lib/services/regressions/incident-summary";
import { IncidentStatusBadge } from "./IncidentStatusBadge";
import { fmtDate, fmtDays, modulePath } from "./format";
import { TableScroll } from "@/app/components/TableScroll";

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
          {incidents.map((i) => (
            <tr key={i.id} className="border-t border-slate-100 align-top hover:bg-slate-50">
              <td className="px-3 py-2">
                <Link href={`/regressions/${i.id}`} className="text-emerald-800 underline">
                  {i.id}
                </Link>
              </td>
              {showModule && (
                <td className="px-3 py-2">
                  <Link href={`${modulePath(i.module.slug)}/history`} className="font-medium text-emerald-800 hover:underline">
                    {i.module.name}
                  </Link>
                </td>
              )}
              <td className="px-3 py-2">
                <IncidentStatusBadge status={i.status} />
              </td>
              <td className="px-3 py-2 font-mono text-xs">
                <span className="text-slate-500">{i.lastGoodKernel}</span> → <span className="font-semibold">{i.firstBadKernel}</span>
                {upstreamNote(i.firstBadKernel, i.firstBadUpstream) && <span className="font-sans text-slate-500"> · Linux {i.firstBadUpstream}</span>}
                <div className="font-sans text-[11px] text-slate-500">
                  {i.lineLabel} · {i.arch}
                </div>
              </td>
              <td className="max-w-md px-3 py-2 text-xs">
                {i.signature && (
                  <Link href={signaturePath(i.signature.symbol)} className="mr-1 rounded bg-slate-100 px-1 font-mono text-slate-800 hover:underline">
                    {formatSignature(i.signature)}
                  </Link>
                )}
                <span className="break-words font-mono text-slate-600">{i.errorLine ?? "no error line reported"}</span>
              </td>
              <td className="px-3 py-2 font-mono text-xs">{i.affectedVersions.join(", ")}</td>
              <td className="px-3 py-2 font-mono text-xs">
                {i.fixedIn ?? (i.fixedInKernel ? <span>kernel {i.fixedInKernel}</span> : <span className="font-sans text-slate-400">not yet</span>)}
                {i.fixedOnSnapshot && (
                  <div className="font-sans text-[11px] text-slate-500">
                    on {i.fixedOnSnapshot.version} since {fmtDate(i.fixedOnSnapshot.at)}
                  </div>
                )}
              </td>
              <td className="whitespace-nowrap px-3 py-2 text-xs">
                <DatedText at={i.openedAt} source={i.openedAtSource} seen={i.openedAtBasis === "seen"} />
              </td>
              <td className="whitespace-nowrap px-3 py-2 text-right text-xs">
                {i.status === "open" ? `open ${fmtDays(i.days)}` : i.timeToFixDays === null ? <span title="the break is dated by its kernel's release but the fix only by when it was seen, or both were seen in the same run">unknown</span> : fmtDays(i.timeToFixDays)}
              </td>
            </tr>
          ))}
        </tbody>
      </table></TableScroll>
    </div>
  );
}
