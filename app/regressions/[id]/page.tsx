import type { Metadata } from "next";
import { upstreamNote } from "@/lib/domain/kernel-release";
import { AppLink } from "@/app/components/AppLink";
import { notFound } from "next/navigation";
import { TRANSITION_LABEL, type CellState, type FixBasis } from "@/lib/domain/regressions";
import { DatedText } from "@/app/components/DatedText";
import { formatSignature, SIGNATURE_KIND_LABEL, signaturePath } from "@/lib/domain/signature";
import { incidentIdSchema } from "@/lib/schemas/regressions";
import { loadOr404 } from "@/lib/http/page";
import { getRegression, type RegressionDetail } from "@/lib/services/regressions/get-regression";
import { StatusBadge } from "@/app/components/StatusBadge";
import { STATUS_CLASS } from "@/app/components/status-style";
import { IncidentStatusBadge } from "@/app/components/history/IncidentStatusBadge";
import { cellHistoryPath, fmtDate, fmtDays, modulePath } from "@/app/components/history/format";
import { ErrorAndLog, LogLink, RunRef } from "@/app/components/ResultLog";
import { TableScroll } from "@/app/components/TableScroll";

export const dynamic = "force-dynamic";

const UNKNOWN_FIX_TIME = "the break is dated by its kernel's release but the fix only by when it was seen, or both were seen in the same run";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Regression ${(await params).id}` };
}

const FIX_BASIS_TEXT: Record<FixBasis, string> = {
  "release-date": "the fixing release's publication date",
  "first-pass-observed": "the first passing build of the fixing release we saw (its release date is unknown)",
  "kernel-release": "the release date of a later kernel of the line on which it passes again",
  kernel: "the first passing build on a later kernel of the line (its release date is unknown)",
};

const STATE_LOOK: Record<CellState, { cls: string; text: string }> = {
  pass: { cls: STATUS_CLASS.pass, text: "✓ pass" },
  fail: { cls: STATUS_CLASS.fail, text: "✗ fail" },
  flaky: { cls: "bg-orange-100 text-orange-900 border-orange-300", text: "◐ flaky" },
};

export default async function RegressionPage({ params }: Props) {
  const id = incidentIdSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const d: RegressionDetail = await loadOr404(getRegression(id.data));
  const i = d.incident;
  const slug = i.module.slug;
  return (
    <div className="space-y-6">
      <header className="space-y-2">
        <nav className="text-sm">
          <AppLink href="/regressions" className="text-emerald-800 underline">
            ← Regressions
          </AppLink>{" "}
          ·{" "}
          <AppLink href={`${modulePath(slug)}/history`} className="text-emerald-800 underline">
            {i.module.name} history
          </AppLink>
        </nav>
        <h1 className="flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight">
          {i.module.name} broke on <span className="font-mono">{i.firstBadKernel}</span> <IncidentStatusBadge status={i.status} />
        </h1>
        <p className="text-sm text-slate-600">
          Regression #{i.id} · {i.lineLabel} kernels · {i.arch}
        </p>
      </header>

      <dl className="grid gap-x-6 gap-y-3 rounded border border-slate-200 bg-white p-4 text-sm sm:grid-cols-2">
        <Item label="Last good kernel">
          <span className="font-mono">{i.lastGoodKernel}</span>
          {upstreamNote(i.lastGoodKernel, i.lastGoodUpstream) && <span className="text-slate-600"> · Linux {i.lastGoodUpstream}</span>}
        </Item>
        <Item label="First bad kernel">
          <span className="font-mono">{i.firstBadKernel}</span>
          {upstreamNote(i.firstBadKernel, i.firstBadUpstream) && <span className="text-slate-600"> · Linux {i.firstBadUpstream}</span>} (series {i.series})
        </Item>
        <Item label="Error">
          {i.signature && (
            <AppLink href={signaturePath(i.signature.symbol)} className="mr-2 rounded bg-slate-100 px-1 font-mono hover:underline">
              {formatSignature(i.signature)} <span className="font-sans text-xs text-slate-500">({SIGNATURE_KIND_LABEL[i.signature.kind]})</span>
            </AppLink>
          )}
          <span className="break-words font-mono text-xs">{i.errorLine ?? "no error line reported"}</span>
        </Item>
        <Item label="Versions affected">
          <span className="font-mono">{i.affectedVersions.join(", ")}</span>
        </Item>
        <Item label="Opened">
          <DatedText at={i.openedAt} source={i.openedAtSource} seen={i.openedAtBasis === "seen"} />{" "}
          {i.openedAtBasis === "release" ? "(release of the first bad kernel)" : "(first failing build; the kernel's release date is unknown)"}
          {i.openedSeenAt && <span className="block text-xs text-slate-500">first failure seen {fmtDate(i.openedSeenAt)}</span>}
        </Item>
        <Item label="Fixed">
          {i.status === "open" ? (
            <span className="text-red-800">✗ not yet: open for {fmtDays(i.days)}</span>
          ) : (
            <>
              {i.fixedIn ? (
                <>
                  in release <span className="font-mono">{i.fixedIn}</span>
                </>
              ) : null}
              {i.fixedIn && i.fixedInKernel ? "; " : null}
              {i.fixedInKernel ? (
                <>
                  kernel <span className="font-mono">{i.fixedInKernel}</span> passes again
                </>
              ) : null}
              {" "}on <DatedText at={i.fixedAt} source={i.fixedAtSource} seen={i.fixedAtBasis === "first-pass-observed" || i.fixedAtBasis === "kernel"} />
              {i.fixedAtBasis && <span className="block text-xs text-slate-500">date from {FIX_BASIS_TEXT[i.fixedAtBasis]}</span>}
              {i.fixedSeenAt && <span className="block text-xs text-slate-500">fixing pass seen {fmtDate(i.fixedSeenAt)}</span>}
              <span className="block text-xs text-slate-600">
                time to fix: {i.timeToFixDays === null ? `unknown (${UNKNOWN_FIX_TIME})` : fmtDays(i.timeToFixDays)}
              </span>
            </>
          )}
          {i.fixedOnSnapshot && (
            <span className="block text-xs text-slate-600">
              a development snapshot, <span className="font-mono">{i.fixedOnSnapshot.version}</span>, passed on {fmtDate(i.fixedOnSnapshot.at)}
            </span>
          )}
        </Item>
      </dl>

      <section className="space-y-2" aria-labelledby="neighbours">
        <h2 id="neighbours" className="text-lg font-semibold">Neighbouring kernels</h2>
        {d.neighbourhood.kernels.length === 0 ? (
          <p className="text-sm text-slate-600">The kernels of this incident have no results left.</p>
        ) : (
          <div className="overflow-x-auto rounded border border-slate-200 bg-white">
            <TableScroll label="Neighbourhood"><table className="border-collapse text-xs" data-testid="neighbourhood">
              <thead className="bg-slate-100">
                <tr>
                  <th className="px-2 py-1 text-left">Version \ kernel ({i.lineLabel}, {i.arch})</th>
                  {d.neighbourhood.kernels.map((k) => (
                    <th key={k} className={`px-2 py-1 font-mono font-normal ${k === i.firstBadKernel || k === i.lastGoodKernel ? "font-semibold" : ""}`}>
                      {k}
                      {k === i.lastGoodKernel && <div className="font-sans text-[10px] text-emerald-800">last good</div>}
                      {k === i.firstBadKernel && <div className="font-sans text-[10px] text-red-800">first bad</div>}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {d.neighbourhood.rows.map((row) => (
                  <tr key={row.version} className="border-t border-slate-100">
                    <th scope="row" className="px-2 py-1 text-left font-mono">
                      {row.version} <span className="font-sans font-normal text-slate-500">{row.role === "fix" ? "(fix)" : "(affected)"}</span>
                    </th>
                    {row.cells.map((c) => (
                      <td key={c.kernel} className="px-1 py-1 text-center">
                        {c.state ? (
                          <AppLink
                            href={cellHistoryPath(slug, row.version, c.kernel, i.arch)}
                            title={c.transition ? TRANSITION_LABEL[c.transition] : undefined}
                            className={`block rounded border px-1 ${STATE_LOOK[c.state].cls}`}
                          >
                            {STATE_LOOK[c.state].text}
                          </AppLink>
                        ) : (
                          <span className="text-slate-500" title="no verdict (not built, or only errors/skips)">
                            ·
                          </span>
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table></TableScroll>
          </div>
        )}
      </section>

      <section className="space-y-2" aria-labelledby="evidence">
        <h2 id="evidence" className="text-lg font-semibold">Evidence</h2>
        <p className="text-xs text-slate-600">The results of the affected and fixing versions on the last good, first bad and fixing kernels; the deciding ones first.</p>
        <ul className="space-y-2">
          {d.evidence.map((r) => (
            <li key={r.id} className="rounded border border-slate-200 bg-white p-3 text-sm" data-role={r.role ?? undefined}>
              <div className="flex flex-wrap items-center gap-2">
                <StatusBadge status={r.status} />
                {r.role && <span className="rounded bg-slate-800 px-1.5 text-xs text-white">{r.role === "opened" ? "opened the incident" : "shows the fix"}</span>}
                <AppLink href={cellHistoryPath(slug, r.version, r.kernel, r.arch)} className="font-mono text-xs underline">
                  {r.version} × {r.kernel}
                </AppLink>
                <span className="text-xs text-slate-600">
                  {r.stage} · {r.arch} · {fmtDate(r.finishedAt)} · run <RunRef run={r.run} />
                </span>
                <LogLink url={r.logUrl} />
              </div>
              <ErrorAndLog errorLine={r.errorLine} logExcerpt={r.logExcerpt} logTruncated={r.logTruncated} open={r.role === "opened"} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
