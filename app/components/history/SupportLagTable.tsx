import type { LagPick, SupportLagRow } from "@/lib/domain/support-lag";
import { fmtDate, fmtDays } from "./format";
import { TableScroll } from "@/app/components/TableScroll";

function Pick({ pick }: { pick: LagPick | null }) {
  if (!pick) return <span className="text-slate-400">none</span>;
  return (
    <span>
      <span className="font-mono">{pick.version}</span>
      <span className="text-slate-500"> ({pick.releasedAt ? `released ${fmtDate(pick.releasedAt)}` : "release date unknown"})</span>
      {pick.uncertain && <span title="some candidate releases have no date, so version order decided"> *</span>}
    </span>
  );
}

function Lag({ pick }: { pick: LagPick | null }) {
  if (!pick) return <span className="text-slate-400">—</span>;
  if (pick.lagDays === null) return <span className="text-slate-500">unknown</span>;
  return <span>{pick.readyBeforeKernel ? "0 (ready before the kernel)" : fmtDays(pick.lagDays)}</span>;
}

export function SupportLagTable({ rows }: { rows: SupportLagRow[] }) {
  return (
    <div className="overflow-x-auto rounded border border-slate-200 bg-white">
      <TableScroll label="Support lag"><table className="w-full border-collapse text-sm" data-testid="support-lag-table">
        <thead className="bg-slate-100 text-left text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th className="px-3 py-2">Series</th>
            <th className="px-3 py-2">Kernel released</th>
            <th className="px-3 py-2">First release that passes</th>
            <th className="px-3 py-2">Lag</th>
            <th className="px-3 py-2">First release that declares it</th>
            <th className="px-3 py-2">Lag</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.series} className="border-t border-slate-100 text-xs">
              <td className="px-3 py-1.5 font-mono font-semibold">{r.series}</td>
              <td className="px-3 py-1.5">{r.kernelReleasedAt ? fmtDate(r.kernelReleasedAt) : <span className="text-slate-500">not in the release table</span>}</td>
              <td className="px-3 py-1.5">
                <Pick pick={r.firstPassing} />
              </td>
              <td className="px-3 py-1.5">
                <Lag pick={r.firstPassing} />
              </td>
              <td className="px-3 py-1.5">
                <Pick pick={r.firstDeclaring} />
              </td>
              <td className="px-3 py-1.5">
                <Lag pick={r.firstDeclaring} />
              </td>
            </tr>
          ))}
        </tbody>
      </table></TableScroll>
      {rows.some((r) => r.firstPassing?.uncertain || r.firstDeclaring?.uncertain) && (
        <p className="px-3 py-1 text-[11px] text-slate-500">* some candidate releases have no release date; the first by version order is shown.</p>
      )}
    </div>
  );
}
