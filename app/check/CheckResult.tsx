import { kernelPage } from "@/lib/links";
import { AppLink } from "@/app/components/AppLink";
import { upstreamNote } from "@/lib/domain/kernel-release";
import { StatusBadge } from "@/app/components/StatusBadge";
import { VERDICT_MEANING, VERDICTS, type CheckOutcome } from "@/lib/domain/verdict";
import type { CheckResponse, ModuleVerdictOut } from "@/lib/schemas/check";
import { VerdictBadge } from "./VerdictBadge";
import { DatedText } from "@/app/components/DatedText";
import { ExternalLink } from "@/app/components/ExternalLink";
import { TableScroll } from "@/app/components/TableScroll";
import { FocusOnMount } from "@/app/components/FocusOnMount";
import { recheckPath, type CheckUpgrade } from "@/lib/services/check/check-upgrades";

const OUTCOME: Record<CheckOutcome, { className: string; symbol: string; text: string }> = {
  ok: { className: "border-emerald-300 bg-emerald-50 text-emerald-900", symbol: "✓", text: "Safe to upgrade: every module works or likely works on" },
  blocked: { className: "border-red-300 bg-red-50 text-red-900", symbol: "✗", text: "Do not upgrade yet: a module is broken or unsupported on" },
  uncertain: { className: "border-slate-300 bg-slate-50 text-slate-800", symbol: "?", text: "Nothing known to break, but some modules have no verdict on" },
};

const RELATION_LABEL: Record<string, string> = {
  exact: "this kernel",
  "same-revision": "same build, other flavour",
  "series-neighbour": "nearest kernel of the series",
  "first-fail": "first failure of this run",
  "last-pass": "last pass before it",
};

const kernelLink = (k: string) => (
  <AppLink href={kernelPage(k)} className="font-mono underline decoration-slate-300 underline-offset-2">
    {k}
  </AppLink>
);

/** "Fixed in 0.13.2 — v4l2loopback-dkms 0.13.2-1~bpo12+1 from Debian bookworm-backports: apt install -t …" */
function GetVersion({ upgrade, recheck }: { upgrade: CheckUpgrade | undefined; recheck: string }) {
  if (!upgrade) return null;
  const target = { label: upgrade.kind === "fixedIn" ? "Fixed in" : "The newest version that accepts this kernel is", version: upgrade.version };
  const where = upgrade.where;
  return (
    <div className="mt-1 rounded border border-emerald-200 bg-emerald-50 p-2 text-xs text-emerald-950" data-testid="get-version">
      {target.label} <span className="font-mono font-medium">{target.version}</span>:{" "}
      {where ? (
        <>
          <span className="font-mono">{where.text}</span>
          {where.install && (
            <>
              {" "}— <code className="rounded bg-white px-1">{where.install}</code>
            </>
          )}
        </>
      ) : (
        <>no package source was recorded for it here; see the module&apos;s homepage</>
      )}
      {" · "}
      <AppLink href={recheck} className="underline" data-testid="recheck">
        check again with {target.version}
      </AppLink>
    </div>
  );
}

function ModuleRow({ m, upgrade, recheck }: { m: ModuleVerdictOut; upgrade: CheckUpgrade | undefined; recheck: (changes: Record<string, string>) => string }) {
  return (
    <tr className="border-t border-slate-100 align-top" data-module={m.module}>
      <td className="px-3 py-2">
        {m.links.page ? (
          <AppLink href={m.links.page} className="font-medium text-emerald-800 underline-offset-2 hover:underline">
            {m.name ?? m.module}
          </AppLink>
        ) : (
          <span className="font-medium">{m.module}</span>
        )}
        {m.dkms && (
          <div className="text-xs text-slate-500">
            dkms: {m.dkms.states.join(", ")} (line {m.dkms.lines.join(", ")})
            {m.dkms.otherVersions.length > 0 && <> · also {m.dkms.otherVersions.join(", ")}, which DKMS will not build</>}
          </div>
        )}
      </td>
      <td className="px-3 py-2 font-mono text-xs">
        {m.version ?? "—"}
        {m.versionSource === "newest" && <div className="font-sans text-slate-500">newest known</div>}
      </td>
      <td className="px-3 py-2">
        <VerdictBadge verdict={m.verdict} />
        {m.basis === "declared" && (
          <div className="mt-1 text-xs text-amber-800" data-testid="declared-basis" title="no build of this version on this kernel series here: only the module's own declared kernel range">
            declared, never built here
          </div>
        )}
      </td>
      <td className="px-3 py-2 text-sm">
        <p>{m.reason}</p>
        <GetVersion upgrade={upgrade} recheck={recheck(upgrade ? { [m.module]: upgrade.version } : {})} />
        {m.prediction?.label && (
          <p className="mt-1 text-sm font-medium text-indigo-900" data-testid="check-prediction" title={`a prediction from the footprint of its build on ${m.prediction.footprintKernel} and this kernel's exported symbols and headers, not a build result`}>
            {m.prediction.label}
          </p>
        )}
        {m.errorLine && <p className="mt-1 font-mono text-xs text-red-900">{m.errorLine}</p>}
        {m.evidence.length > 0 && (
          <details className="mt-1">
            <summary className="cursor-pointer text-xs text-slate-600">Evidence ({m.evidence.length})</summary>
            <ul className="mt-1 space-y-1">
              {m.evidence.map((e, i) => (
                <li key={i} className="text-xs text-slate-700">
                  <StatusBadge status={e.status} /> <span className="text-slate-500">{RELATION_LABEL[e.relation] ?? e.relation}:</span> {m.module} {e.version} on{" "}
                  {kernelLink(e.kernel)}
                  {upstreamNote(e.kernel, e.kernelUpstream) && <span className="text-slate-500"> · Linux {e.kernelUpstream}</span>} ({e.arches.map((a) => `${a.arch} ${a.status}`).join(", ")}), last result {e.lastResultAt.slice(0, 10)}
                  {e.errorLine && <span className="font-mono"> — {e.errorLine}</span>} ·{" "}
                  <AppLink href={e.links.page} className="underline">
                    cell
                  </AppLink>{" "}
                  ·{" "}
                  <a href={e.links.api} className="underline">
                    raw results
                  </a>
                  {e.logUrl && (
                    <>
                      {" "}
                      ·{" "}
                      <ExternalLink href={e.logUrl} className="underline">
                        log
                      </ExternalLink>
                    </>
                  )}
                </li>
              ))}
            </ul>
          </details>
        )}
      </td>
    </tr>
  );
}

/** The answer of a check: outcome, a verdict per module with its evidence, the newest safe kernel. */
export function CheckResult({ out, upgrades: list = [] }: { out: CheckResponse; upgrades?: CheckUpgrade[] }) {
  const o = OUTCOME[out.outcome];
  // The same check with some modules at other versions: the page URL, so it reruns on the server.
  const recheck = (changes: Record<string, string>) => recheckPath(out, changes);
  const upgrades = Object.fromEntries(list.map((u) => [u.module, u.version]));
  const safe = out.newestSafeKernel;
  return (
    <FocusOnMount label="Check result" className="space-y-4" data={{ "data-testid": "check-result", "data-outcome": out.outcome }}>
      {out.modules.length > 0 && (
        <p role="status" className={`rounded border p-3 text-sm font-medium ${o.className}`}>
          <span aria-hidden>{o.symbol} </span>
          {o.text} <span className="font-mono">{out.kernel.version}</span>
          {out.arch && <> ({out.arch})</>}.
        </p>
      )}
      <p className="text-xs text-slate-600" data-testid="check-kernel">
        <span className="font-mono">{out.kernel.version}</span>
        {upstreamNote(out.kernel.version, out.kernel.upstreamVersion) && <> · Linux {out.kernel.upstreamVersion}</>}
        {" · "}released{" "}
        <DatedText at={out.kernel.releasedAt} source={out.kernel.releasedAtSource} />
      </p>
      {out.kernel.prerelease && (
        <p role="note" className="rounded border border-violet-300 bg-violet-50 p-3 text-sm text-violet-900" data-testid="prerelease">
          <span className="font-mono">{out.kernel.version}</span> is a pre-release (a release candidate or experimental kernel): its results are early
          warnings, and the final release may differ. See <AppLink href="/upcoming" className="underline">upcoming kernels</AppLink>.
        </p>
      )}
      {out.dkms && out.dkms.problems.length > 0 && (
        <div className="rounded border border-amber-300 bg-amber-50 p-3 text-xs text-amber-900">
          <p className="font-medium">Lines of the dkms status output that were not understood (ignored):</p>
          <ul className="mt-1 list-inside list-disc">
            {out.dkms.problems.map((p) => (
              <li key={p.line}>
                line {p.line}: <code>{p.text}</code> — {p.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {out.modules.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
          No modules found in the dkms status output. Paste the output of <code>dkms status</code> or name modules as name@version.
        </p>
      ) : (
        <TableScroll label="Check results"><table className="w-full border-collapse rounded border border-slate-200 bg-white text-sm">
          <thead className="bg-slate-100 text-left text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th className="px-3 py-2">Module</th>
              <th className="px-3 py-2">Version</th>
              <th className="px-3 py-2">Verdict</th>
              <th className="px-3 py-2">Why</th>
            </tr>
          </thead>
          <tbody>
            {out.modules.map((m) => (
              <ModuleRow key={m.module} m={m} upgrade={list.find((u) => u.module === m.module)} recheck={recheck} />
            ))}
          </tbody>
        </table></TableScroll>
      )}
      {Object.keys(upgrades).length > 0 && (
        <p className="text-sm">
          <AppLink href={recheck(upgrades)} className="font-medium text-emerald-800 underline" data-testid="recheck-all">
            Check again with these versions
          </AppLink>{" "}
          <span className="text-slate-600">({Object.entries(upgrades).map(([mod, v]) => `${mod}@${v}`).join(", ")})</span>
        </p>
      )}
      {safe.considered.length > 0 && (
        <p className="text-sm" data-testid="newest-safe">
          Newest kernel on which all {safe.considered.length} known module version{safe.considered.length === 1 ? "" : "s"} pass:{" "}
          {safe.overall ? kernelLink(safe.overall) : <span className="text-slate-500">none known</span>}
          {safe.inLine && safe.inLine !== safe.overall && (
            <>
              ; among {safe.line} kernels: {kernelLink(safe.inLine)}
            </>
          )}
          {!safe.inLine && safe.overall && <span className="text-slate-500"> (no {safe.line} kernel among them)</span>}
        </p>
      )}
      <div className="rounded border border-slate-200 bg-white p-3 text-xs text-slate-600">
        <p>
          Link to this check:{" "}
          <AppLink href={out.links.self} className="break-all font-mono text-emerald-800 underline" data-testid="permalink">
            {out.links.self}
          </AppLink>
        </p>
        <p className="mt-1">
          Same answer as JSON: <a href={out.links.api} className="break-all font-mono underline">{out.links.api}</a> · from a shell:{" "}
          <code>npx modcompat check --kernel {out.kernel.version}</code>
        </p>
      </div>
      <ul className="flex flex-wrap gap-x-5 gap-y-1 text-xs text-slate-600" aria-label="Verdicts">
        {VERDICTS.map((v) => (
          <li key={v} className="flex items-center gap-1.5">
            <VerdictBadge verdict={v} /> {VERDICT_MEANING[v]}
          </li>
        ))}
      </ul>
    </FocusOnMount>
  );
}
