import { notFound } from "next/navigation";
import type { Metadata } from "next";
import { decodeSegment } from "@/lib/http/decode-segment";
import { regressionsPage } from "@/lib/links";
import { AppLink } from "@/app/components/AppLink";
import { DISAGREEMENT_LABEL } from "@/lib/domain/declared-range";
import { lineLabel } from "@/lib/domain/kernel-version";
import { loadOr404 } from "@/lib/http/page";
import { getModuleHistory, type ModuleHistory } from "@/lib/services/history/get-module-history";
import { StatusBadge } from "@/app/components/StatusBadge";
import { IncidentTable } from "@/app/components/history/IncidentTable";
import type { TimelineDatum } from "@/app/components/history/RegressionTimeline";
import { PassRateChart, RegressionTimeline, SupportLagChart, TimeToFixChart } from "@/app/components/history/charts";
import { SupportLagTable } from "@/app/components/history/SupportLagTable";
import { cellHistoryPath, fmtDate, fmtDays, modulePath } from "@/app/components/history/format";
import { TableScroll } from "@/app/components/TableScroll";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `${decodeSegment((await params).slug) ?? "not found"}: breakage history` };
}

export default async function HistoryPage({ params }: Props) {
  const slug = decodeSegment((await params).slug) ?? notFound();
  const h: ModuleHistory = await loadOr404(getModuleHistory(slug));
  const base = modulePath(slug);
  const open = h.incidents.filter((i) => i.status === "open").length;
  const known = h.incidents.flatMap((i) => (i.status === "fixed" && i.timeToFixDays !== null ? [i.timeToFixDays] : [])).sort((a, b) => a - b);
  const byId = new Map(h.incidents.map((i) => [i.id, i]));
  const timeline: TimelineDatum[] = h.timeline.map((b) => {
    const i = byId.get(b.id)!;
    return { ...b, kernel: i.firstBadKernel, lastGood: i.lastGoodKernel, error: i.errorLine, fix: i.fixedIn ?? (i.fixedInKernel ? `kernel ${i.fixedInKernel}` : null), days: i.days };
  });
  const lagData = h.supportLag
    .filter((r) => r.firstPassing?.lagDays != null || r.firstDeclaring?.lagDays != null)
    .map((r) => ({ series: r.series, passing: r.firstPassing?.lagDays ?? null, declaring: r.firstDeclaring?.lagDays ?? null }));

  return (
    <div className="space-y-8">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{h.module.name}: breakage history</h1>
          <p className="text-sm text-slate-600">
            When it broke, on which kernel, with which error; when it was fixed and how long users waited.
          </p>
        </div>
        <nav className="flex flex-wrap gap-4 text-sm">
          <AppLink href={base} className="text-emerald-800 underline">
            ← Matrix
          </AppLink>
          <AppLink href={regressionsPage(slug)} className="text-emerald-800 underline">
            All its regressions
          </AppLink>
          <a href={`/api/v1/modules/${encodeURIComponent(slug)}/regressions.atom`} className="text-emerald-800 underline">
            Atom feed
          </a>
          <a href={`/api/v1/modules/${encodeURIComponent(slug)}/history`} className="text-emerald-800 underline">
            JSON
          </a>
        </nav>
      </header>

      {h.caveats.length > 0 && (
        <ul className="list-disc space-y-1 rounded border border-amber-300 bg-amber-50 p-3 pl-7 text-sm text-amber-900" aria-label="What the data cannot tell">
          {h.caveats.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      )}

      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Stat label="Regressions" value={String(h.incidents.length)} />
        <Stat label="Still open" value={`${open > 0 ? "✗ " : ""}${open}`} tone={open > 0 ? "bad" : undefined} />
        <Stat label="Median time to fix" value={known.length ? fmtDays(known[Math.floor((known.length - 1) / 2)]) : "unknown"} />
        <Stat label="Results" value={`${h.data.results.toLocaleString("en")} in ${h.data.runs} run${h.data.runs === 1 ? "" : "s"}`} />
      </dl>

      <section className="space-y-2" aria-labelledby="timeline">
        <h2 id="timeline" className="text-lg font-semibold">Regression timeline</h2>
        {timeline.length === 0 ? (
          <Empty>No regressions detected: no version of this module passed on a kernel and failed on a later kernel of the same line.</Empty>
        ) : (
          <>
            <p className="text-xs text-slate-600">
              Each bar is one regression, from the release of its first bad kernel (or, where that date is unknown, the first failing build) to the fix
              (✓ green: the fixing release&apos;s date) or to today (✗ red, still open). Hover a date in the table for where it came from; click for the evidence.
            </p>
            <RegressionTimeline data={timeline} now={h.generatedAt.getTime()} />
            <IncidentTable incidents={[...h.incidents].reverse()} showModule={false} />
          </>
        )}
      </section>

      <section className="space-y-2" aria-labelledby="pass-rate">
        <h2 id="pass-rate" className="text-lg font-semibold">Pass rate over time</h2>
        {h.passRate.points.filter((p) => p.rate !== null).length < 2 ? (
          <Empty>
            {h.passRate.points.length === 0
              ? "No results yet."
              : `Not enough history for a trend: results cover ${h.passRate.points.length} ${h.passRate.bucket}${h.passRate.points.length === 1 ? "" : "s"}` +
                (h.passRate.points[0]?.rate != null ? ` (pass rate ${Math.round(h.passRate.points[0].rate * 100)}% on ${h.passRate.points[0].start}).` : ".")}
          </Empty>
        ) : (
          <>
            <p className="text-xs text-slate-600">
              Results per {h.passRate.bucket} of their kernel&apos;s release: {h.data.resultsWithKernelDate.toLocaleString("en")} of {h.data.results.toLocaleString("en")} results
              are placed at their kernel&apos;s release date, the rest at the date they were seen.
            </p>
            <PassRateChart data={h.passRate.points} bucket={h.passRate.bucket} />
          </>
        )}
      </section>

      <section className="space-y-2" aria-labelledby="ttf">
        <h2 id="ttf" className="text-lg font-semibold">Time to fix</h2>
        {known.length === 0 ? (
          <Empty>
            No fixed regression with a known duration
            {h.timeToFix.unknown > 0 ? ` (${h.timeToFix.unknown} fixed, but their break and fix are not dated on the same clock, or were first seen in the same run)` : ""}
            {h.timeToFix.open > 0 ? `; ${h.timeToFix.open} still open` : ""}.
          </Empty>
        ) : (
          <>
            <TimeToFixChart data={h.timeToFix.buckets} />
            <p className="text-xs text-slate-600">
              {known.length} with a known duration; {h.timeToFix.unknown} unknown; {h.timeToFix.open} still open. The fix date is the fixing release&apos;s date where known, else its first passing build.
            </p>
          </>
        )}
      </section>

      <section className="space-y-2" aria-labelledby="lag">
        <h2 id="lag" className="text-lg font-semibold">Support lag</h2>
        <p className="text-xs text-slate-600">
          Per kernel series: days from the kernel&apos;s mainline release to the first module release that passes on any kernel of that series, and to the first that declares support. Snapshots are not releases.
        </p>
        {lagData.length > 0 && <SupportLagChart data={lagData} />}
        {h.supportLag.length === 0 ? <Empty>No kernel series with results.</Empty> : <SupportLagTable rows={h.supportLag} />}
      </section>

      <section className="space-y-2" aria-labelledby="declared">
        <h2 id="declared" className="text-lg font-semibold">Declared vs observed</h2>
        {h.declared.declaredVersions === 0 ? (
          <Empty>No version of this module declares a supported kernel range.</Empty>
        ) : h.declared.mismatches.length === 0 ? (
          <Empty>All results of the {h.declared.declaredVersions} versions that declare a kernel range agree with it.</Empty>
        ) : (
          <TableScroll label="Declared range mismatches"><table className="w-full border-collapse rounded border border-slate-200 bg-white text-sm" data-testid="declared-mismatches">
            <thead className="bg-slate-100 text-left text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th className="px-3 py-2">Version</th>
                <th className="px-3 py-2">Declares</th>
                <th className="px-3 py-2">Kernel</th>
                <th className="px-3 py-2">Observed</th>
                <th className="px-3 py-2">Disagreement</th>
              </tr>
            </thead>
            <tbody>
              {h.declared.mismatches.map((m) => (
                <tr key={`${m.versionId}:${m.kernelId}:${m.arch}`} className="border-t border-slate-100">
                  <td className="px-3 py-1.5 font-mono text-xs">{m.version}</td>
                  <td className="px-3 py-1.5 font-mono text-xs">
                    {m.declaredKernelMin ?? "…"} – {m.declaredKernelMax ?? "…"}
                  </td>
                  <td className="px-3 py-1.5 font-mono text-xs">
                    <AppLink href={cellHistoryPath(slug, m.version, m.kernel, m.arch)} className="underline">
                      {m.kernel}
                    </AppLink>{" "}
                    <span className="font-sans text-slate-500">{m.arch}</span>
                  </td>
                  <td className="px-3 py-1.5">
                    <StatusBadge status={m.status} />
                  </td>
                  <td className="px-3 py-1.5 text-xs">⚑ {DISAGREEMENT_LABEL[m.kind]}</td>
                </tr>
              ))}
            </tbody>
          </table></TableScroll>
        )}
      </section>

      <section className="space-y-2" aria-labelledby="flaky">
        <h2 id="flaky" className="text-lg font-semibold">Flaky combinations</h2>
        {h.flaky.length === 0 ? (
          <Empty>None: no version × kernel × arch failed and later passed again without a change.</Empty>
        ) : (
          <ul className="space-y-1 text-sm">
            {h.flaky.map((f) => (
              <li key={`${f.version}:${f.kernel}:${f.arch}`}>
                <AppLink href={cellHistoryPath(slug, f.version, f.kernel, f.arch)} className="font-mono text-xs underline">
                  {f.version} × {f.kernel} ({f.arch})
                </AppLink>{" "}
                <span className="text-xs text-slate-600">
                  — {f.passes} passing and {f.fails} failing runs on {lineLabel(f.line)}; last {f.lastVerdict} on {fmtDate(f.lastAt)}. Not counted as a regression.
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <p className="text-xs text-slate-500">
        Watch one cell: <code>/api/v1/watch.atom?module={slug}&amp;version=&lt;version or prefix&gt;&amp;kernel=&lt;kernel or series&gt;</code> gets an entry whenever it turns green or red.
      </p>
    </div>
  );
}

function Stat({ label, value, tone }: { label: string; value: string; tone?: "bad" }) {
  return (
    <div className="rounded border border-slate-200 bg-white p-3">
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className={`text-lg font-semibold ${tone === "bad" ? "text-red-800" : "text-slate-900"}`}>{value}</dd>
    </div>
  );
}

function Empty({ children }: { children: React.ReactNode }) {
  return <p className="rounded border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">{children}</p>;
}
