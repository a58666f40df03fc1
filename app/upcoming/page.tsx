import type { Metadata } from "next";
import { kernelPage } from "@/lib/links";
import { AppLink } from "@/app/components/AppLink";
import { formatSignature, signaturePath } from "@/lib/domain/signature";
import { listUpcoming, type UpcomingKernelReport } from "@/lib/services/upcoming/list-upcoming";
import { DatedText } from "@/app/components/DatedText";
import { cellHistoryPath, modulePath } from "@/app/components/history/format";
import { UpcomingOutcomeBadge } from "./UpcomingOutcomeBadge";
import { TableScroll } from "@/app/components/TableScroll";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Upcoming kernels" };

export default async function UpcomingPage() {
  const reports = await listUpcoming();
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Upcoming kernels: early warning</h1>
          <p className="max-w-3xl text-sm text-slate-600">
            Release candidates and experimental kernels, built before they ship. For each: which modules that build on the last released
            series break on it, and with which error. Pre-releases change until the release; these are warnings, not verdicts.
          </p>
        </div>
        <a href="/api/v1/upcoming.atom" className="text-sm text-emerald-800 underline">
          Atom feed
        </a>
      </header>
      {reports.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600" data-testid="upcoming-empty">
          No upcoming kernel has results yet. Release candidates (a kernel string with <code>-rcN</code>) and kernels reported with{" "}
          <code>prerelease: true</code> in the ingest&apos;s <code>kernels</code> appear here once results for them are posted.
        </p>
      ) : (
        reports.map((r) => <UpcomingKernel key={r.kernel} r={r} />)
      )}
    </div>
  );
}

function UpcomingKernel({ r }: { r: UpcomingKernelReport }) {
  return (
    <section id={r.kernel} className="space-y-3 rounded border border-slate-200 bg-white p-4" aria-label={r.name} data-testid="upcoming-kernel" data-kernel={r.kernel}>
      <h2 className="text-lg font-semibold" data-testid="upcoming-headline">
        {r.headline}.
      </h2>
      <p className="text-xs text-slate-600">
        Kernel{" "}
        <AppLink href={kernelPage(r.kernel)} className="font-mono underline">
          {r.kernel}
        </AppLink>
        {r.packageVersion && <> · package {r.packageVersion}</>} · uploaded <DatedText at={r.releasedAt} source={r.releasedAtSource} />
        {r.baseSeries && <> · compared with the newest released series before it, {r.baseSeries}</>}
        {r.releasedSince && (
          <>
            {" "}
            · {r.series} has been released since: <span className="font-mono">{r.releasedSince}</span> was built here too
          </>
        )}
      </p>
      {r.modules.length > 0 && (
        <TableScroll label="Upcoming kernels"><table className="w-full border-collapse text-sm">
          <thead className="bg-slate-100 text-left text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th className="px-3 py-2">Module</th>
              <th className="px-3 py-2">Version</th>
              <th className="px-3 py-2">On {r.baseSeries}</th>
              <th className="px-3 py-2">On {r.name.replace(/^Linux /, "")}</th>
              <th className="px-3 py-2">Error</th>
            </tr>
          </thead>
          <tbody>
            {r.modules.map((m) => (
              <tr key={m.module} className="border-t border-slate-100 align-top" data-module={m.module} data-outcome={m.outcome}>
                <td className="px-3 py-2">
                  <AppLink href={modulePath(m.module)} className="font-medium text-emerald-800 underline-offset-2 hover:underline">
                    {m.module}
                  </AppLink>
                </td>
                <td className="px-3 py-2 font-mono text-xs">{m.version}</td>
                <td className="px-3 py-2 font-mono text-xs">✓ {m.basePass}</td>
                <td className="px-3 py-2">
                  {m.outcome === "not-built" ? (
                    <UpcomingOutcomeBadge outcome={m.outcome} />
                  ) : (
                    <AppLink href={cellHistoryPath(m.module, m.version, r.kernel)}>
                      <UpcomingOutcomeBadge outcome={m.outcome} />
                    </AppLink>
                  )}
                </td>
                <td className="max-w-xl px-3 py-2 text-xs">
                  {m.signature && (
                    <AppLink href={signaturePath(m.signature.symbol)} className="mr-1 rounded bg-slate-100 px-1 font-mono text-slate-800 underline" data-testid="signature-link">
                      {formatSignature(m.signature)}
                    </AppLink>
                  )}
                  {m.errorLine && <span className="break-words font-mono text-slate-600">{m.errorLine}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table></TableScroll>
      )}
    </section>
  );
}
