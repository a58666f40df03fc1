import type { Metadata } from "next";
import { decodeSegment } from "@/lib/http/decode-segment";
import { kernelPage, modulePage } from "@/lib/links";
import { AppLink } from "@/app/components/AppLink";
import { notFound } from "next/navigation";
import { getKernel } from "@/lib/services/get-kernel";
import { AppError } from "@/lib/services/errors";
import { StatusBadge } from "@/app/components/StatusBadge";
import { StatusLegend } from "@/app/components/StatusLegend";
import { DatedText } from "@/app/components/DatedText";
import { TableScroll } from "@/app/components/TableScroll";
import { extractSignature, signaturePath } from "@/lib/domain/signature";
import { knownSignatures } from "@/lib/services/history/cell-incidents";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ version: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Kernel ${decodeSegment((await params).version) ?? "not found"}` };
}

export default async function KernelPage({ params }: Props) {
  const version = decodeSegment((await params).version) ?? notFound();
  let view;
  try {
    view = await getKernel(version);
  } catch (e) {
    if (e instanceof AppError && e.code === "not_found") notFound();
    if (e instanceof AppError && e.code === "validation_failed") {
      return (
        <div role="alert" className="rounded border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900">
          {e.message}
        </div>
      );
    }
    throw e;
  }
  const k = view.kernel.parsed;
  // Error lines link to their kernel change (signature page) when some regression carries it.
  const symbolOf = new Map(view.modules.flatMap((m) => m.versions.flatMap((v) => (v.errorLine ? [[v.errorLine, extractSignature(v.errorLine)?.symbol ?? null] as const] : []))));
  const known = await knownSignatures([...symbolOf.values()].filter((s): s is string => s !== null));
  const sigOf = (line: string) => {
    const sym = symbolOf.get(line);
    return sym && known.has(sym) ? sym : null;
  };
  const facts: [string, string | null][] = [
    ["Linux", view.kernel.upstreamVersion ?? "unknown (the kernel string does not carry it and no package version was reported)"],
    ["Package", view.kernel.package ? `${view.kernel.package}${view.kernel.packageVersion ? ` ${view.kernel.packageVersion}` : ""}` : null],
    ["Series", k.series],
    ["Distro", k.distro],
    ["Distro revision", k.distroRelease],
    ["Flavour", k.flavour],
  ];
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="font-mono text-2xl font-semibold">{view.kernel.version}</h1>
        <nav className="flex gap-4 text-sm" aria-label="Neighbouring kernels">
          {view.previous && (
            <AppLink href={kernelPage(view.previous)} className="underline">
              ← {view.previous}
            </AppLink>
          )}
          {view.next && (
            <AppLink href={kernelPage(view.next)} className="underline">
              {view.next} →
            </AppLink>
          )}
        </nav>
      </div>
      <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="inline text-slate-500">{label}: </dt>
            <dd className="inline font-mono">{value ?? "—"}</dd>
          </div>
        ))}
      </dl>
      {view.previous && (
        <p className="text-sm">
          <AppLink href={`/kernels/compare?from=${encodeURIComponent(view.previous)}&to=${encodeURIComponent(view.kernel.version)}`} className="underline">
            Exported symbols and headers changed since {view.previous}
          </AppLink>
        </p>
      )}
      <p className="text-sm">
        Released <DatedText at={view.kernel.releasedAt} source={view.kernel.releasedAtSource} />
        {view.kernel.releasedAt && view.kernel.releasedAtSource && <span className="text-xs text-slate-500"> ({view.kernel.releasedAtSource})</span>}
      </p>
      {view.kernel.upcoming && (
        <p role="note" className="rounded border border-violet-300 bg-violet-50 p-2 text-sm text-violet-900">
          An upcoming kernel (release candidate or experimental): its results are early warnings. See{" "}
          <AppLink href="/upcoming" className="underline">
            upcoming kernels
          </AppLink>
          .
        </p>
      )}
      <p className="text-sm">
        {view.counts.pass} module versions pass, {view.counts.fail} fail, {view.counts.error} could not be tested (environment), {view.counts.skip} decline this kernel.
      </p>
      <StatusLegend />
      <TableScroll label="Modules on this kernel"><table className="w-full border-collapse rounded border border-slate-200 bg-white text-sm">
        <thead className="bg-slate-100 text-left text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th className="px-3 py-2">Module</th>
            <th className="px-3 py-2">Version</th>
            <th className="px-3 py-2">Status</th>
            <th className="px-3 py-2">First error</th>
          </tr>
        </thead>
        <tbody>
          {view.modules.flatMap((m) =>
            m.versions.map((v, i) => (
              <tr key={`${m.slug}@${v.version}`} className="border-t border-slate-100" data-module={m.slug} data-version={v.version}>
                <td className="px-3 py-1.5">
                  {i === 0 && (
                    <AppLink href={modulePage(m.slug)} className="font-medium text-emerald-800 underline">
                      {m.name}
                    </AppLink>
                  )}
                </td>
                <td className="px-3 py-1.5 font-mono text-xs">
                  <AppLink href={`/modules/${encodeURIComponent(m.slug)}?expand=${encodeURIComponent(k.series)}&cell=${encodeURIComponent(`${v.version}@${view.kernel.version}`)}`} className="hover:underline">
                    {v.version}
                  </AppLink>
                </td>
                <td className="px-3 py-1.5">
                  <StatusBadge status={v.status} />
                  {v.arches.length > 1 && <span className="ml-2 text-xs text-slate-500">{v.arches.map((a) => `${a.arch}: ${a.status}`).join(", ")}</span>}
                </td>
                <td className="px-3 py-1.5 font-mono text-xs text-red-900">
                  {v.errorLine && sigOf(v.errorLine) ? (
                    <AppLink href={signaturePath(sigOf(v.errorLine)!)} className="underline decoration-red-300 underline-offset-2" title="other modules this kernel change broke">
                      {v.errorLine}
                    </AppLink>
                  ) : (
                    (v.errorLine ?? "")
                  )}
                </td>
              </tr>
            )),
          )}
        </tbody>
      </table></TableScroll>
    </div>
  );
}
