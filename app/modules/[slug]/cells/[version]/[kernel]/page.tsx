import { notFound } from "next/navigation";
import type { Metadata } from "next";
import { upstreamNote } from "@/lib/domain/kernel-release";
import { DatedText } from "@/app/components/DatedText";
import { decodeSegment } from "@/lib/http/decode-segment";
import { AppLink } from "@/app/components/AppLink";
import type { CellState } from "@/lib/domain/regressions";
import { cellHistoryQuerySchema } from "@/lib/schemas/regressions";
import { loadOr404 } from "@/lib/http/page";
import { getCellHistory, type CellHistoryView } from "@/lib/services/history/get-cell-history";
import { StatusBadge } from "@/app/components/StatusBadge";
import { cellHistoryPath, fmtDate, modulePath } from "@/app/components/history/format";
import { ErrorAndLog, LogLink, RunRef } from "@/app/components/ResultLog";
import { CellIncidentLinks } from "@/app/components/history/CellIncidentLinks";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string; version: string; kernel: string }>; searchParams: Promise<{ arch?: string | string[] }> };

const dec = (s: string) => decodeSegment(s) ?? notFound();

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const p = await params;
  return { title: `${dec(p.slug)} ${dec(p.version)} on ${dec(p.kernel)}` };
}

const STATE_TEXT: Record<CellState, string> = {
  pass: "✓ passes",
  fail: "✗ fails",
  flaky: "◐ flaky: failed, then passed again with nothing changed",
};

export default async function CellHistoryPage({ params, searchParams }: Props) {
  const p = await params;
  const slug = dec(p.slug);
  const version = dec(p.version);
  const kernel = dec(p.kernel);
  const sp = await searchParams;
  const q = cellHistoryQuerySchema.safeParse({ arch: Array.isArray(sp.arch) ? sp.arch[0] : sp.arch });
  const arch = q.success ? q.data.arch : undefined;
  const view: CellHistoryView = await loadOr404(getCellHistory({ slug, version, kernel, arch }));
  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <nav className="text-sm">
          <AppLink href={`${modulePath(slug)}?cell=${encodeURIComponent(`${version}@${kernel}`)}`} className="text-emerald-800 underline">
            ← {view.module.name} matrix
          </AppLink>{" "}
          ·{" "}
          <AppLink href={`${modulePath(slug)}/history`} className="text-emerald-800 underline">
            breakage history
          </AppLink>{" "}
          ·{" "}
          <a
            href={`/api/v1/watch.atom?${new URLSearchParams({ module: slug, version, kernel, ...(arch ? { arch } : {}) })}`}
            className="text-emerald-800 underline"
            title="an Atom entry whenever this combination turns green or red"
          >
            watch (Atom)
          </a>
        </nav>
        <h1 className="text-2xl font-semibold tracking-tight">
          {view.module.name} <span className="font-mono">{version}</span> on <span className="font-mono">{kernel}</span>
        </h1>
        <p className="text-sm text-slate-600" data-testid="cell-dates">
          {upstreamNote(kernel, view.dates.kernelUpstream) && (
            <>
              <span className="font-mono">{kernel}</span> is Linux {view.dates.kernelUpstream}.{" "}
            </>
          )}
          Kernel released <DatedText at={view.dates.kernelReleasedAt} source={view.dates.kernelReleasedAtSource} />
          {view.dates.kernelUpcoming && " (a pre-release: rc or experimental)"}; {version} released{" "}
          <DatedText at={view.dates.versionReleasedAt} source={view.dates.versionReleasedAtSource} />. The dates below are when each result was seen.
        </p>
        <CellIncidentLinks slug={slug} version={version} kernel={kernel} />
        <p className="text-sm text-slate-600">
          Every result of this combination over time{arch ? `, arch ${arch}` : ""}. Kernel line: {view.lineLabel}.{" "}
          {view.previousKernel && (
            <AppLink href={cellHistoryPath(slug, version, view.previousKernel, arch)} className="underline">
              ← previous kernel {view.previousKernel}
            </AppLink>
          )}{" "}
          {view.nextKernel && (
            <AppLink href={cellHistoryPath(slug, version, view.nextKernel, arch)} className="underline">
              next kernel {view.nextKernel} →
            </AppLink>
          )}
        </p>
      </header>

      <section className="grid gap-3 sm:grid-cols-2" aria-label="State per arch">
        {view.arches.map((a) => (
          <div key={a.arch} className="rounded border border-slate-200 bg-white p-3 text-sm">
            <div className="flex items-baseline justify-between">
              <span className="font-mono font-semibold">{a.arch}</span>
              <span data-cell-state={a.state ?? "none"}>{a.state ? STATE_TEXT[a.state] : "– no verdict (only errors or skips)"}</span>
            </div>
            {a.changes.length > 0 && (
              <ol className="mt-2 space-y-1 text-xs text-slate-700">
                {a.changes.map((c) => (
                  <li key={c.resultId}>
                    {fmtDate(c.at)}: {c.verdict === "pass" ? "✓ pass" : "✗ fail"}
                    {c.previous ? ` (was ${c.previous})` : " (first verdict)"}
                    {c.errorLine && <span className="ml-1 font-mono text-slate-500">{c.errorLine}</span>}
                  </li>
                ))}
              </ol>
            )}
          </div>
        ))}
      </section>

      <section className="space-y-2" aria-labelledby="results">
        <h2 id="results" className="text-lg font-semibold">
          Results <span className="text-sm font-normal text-slate-500">({view.results.length}, newest first)</span>
        </h2>
        <ul className="space-y-2">
          {view.results.map((r) => (
            <li key={r.id} className="rounded border border-slate-200 bg-white p-3 text-sm" data-result={r.id}>
              <div className="flex flex-wrap items-center gap-2">
                <StatusBadge status={r.status} />
                <span className="text-xs text-slate-600">
                  {r.stage} · {r.arch} · {r.finishedAt.toISOString().replace("T", " ").slice(0, 16)} UTC
                  {r.durationMs != null ? ` · ${(r.durationMs / 1000).toFixed(1)} s` : ""}
                  {r.compiler ? ` · ${r.compiler}` : ""}
                </span>
                <span className="text-xs text-slate-500">
                  run{" "}
                  <RunRef run={r.run} />
                </span>
                <LogLink url={r.logUrl} />
              </div>
              <ErrorAndLog errorLine={r.errorLine} logExcerpt={r.logExcerpt} logTruncated={r.logTruncated} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
