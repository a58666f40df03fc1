import type { Metadata } from "next";
import { moduleHistoryPage } from "@/lib/links";
import { AppLink } from "@/app/components/AppLink";
import { formatSignature, SIGNATURE_KIND_LABEL, symbolFromSegments } from "@/lib/domain/signature";
import { loadOr404 } from "@/lib/http/page";
import { getSignature, type SignatureDetail } from "@/lib/services/regressions/list-signatures";
import { IncidentStatusBadge } from "@/app/components/history/IncidentStatusBadge";
import { IncidentTable } from "@/app/components/history/IncidentTable";
import { KernelChange } from "@/app/components/history/KernelChange";
import { TableScroll } from "@/app/components/TableScroll";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ symbol: string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: symbolFromSegments((await params).symbol) };
}

export default async function SignaturePage({ params }: Props) {
  const symbol = symbolFromSegments((await params).symbol);
  const d: SignatureDetail = await loadOr404(getSignature(symbol), ["not_found", "validation_failed"]);
  const s = d.signature;
  return (
    <div className="space-y-5">
      <header className="space-y-1">
        <nav className="text-sm">
          <AppLink href="/signatures" className="text-emerald-800 underline">
            ← Kernel changes
          </AppLink>
        </nav>
        <h1 className="text-2xl font-semibold tracking-tight">
          <span className="font-mono">{formatSignature(s)}</span> <span className="text-base font-normal text-slate-500">{SIGNATURE_KIND_LABEL[s.kind]}</span>
        </h1>
        <p className="text-sm text-slate-700">
          The change to <code>{s.symbol}</code> <KernelChange group={s} /> broke {s.modules.length} module{s.modules.length === 1 ? "" : "s"}:{" "}
          {s.modules.map((m, n) => (
            <span key={m.module}>
              {n > 0 && ", "}
              {m.module}
            </span>
          ))}
          .
        </p>
        {d.upstream && (
          <p className="text-sm text-slate-700" data-testid="upstream-removal">
            <code>{s.symbol}</code> was {d.upstream.text} (first snapshot without it:{" "}
            <code>{d.upstream.firstWithout}</code>
            ; last with it:{" "}
            <code>{d.upstream.lastWith}</code>
            ). Bounded by the {d.upstream.snapshots} generic-flavour kernel API snapshots available; a distro kernel&apos;s upstream is its Linux version.
          </p>
        )}
      </header>
      <TableScroll label="Modules with this error"><table className="w-full border-collapse rounded border border-slate-200 bg-white text-sm" data-testid="signature-modules">
        <thead className="bg-slate-100 text-left text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th className="px-3 py-2">Module</th>
            <th className="px-3 py-2">Status</th>
            <th className="px-3 py-2">Broke on</th>
            <th className="px-3 py-2">Fixed in</th>
          </tr>
        </thead>
        <tbody>
          {s.modules.map((m) => (
            <tr key={m.module} className="border-t border-slate-100">
              <td className="px-3 py-2">
                <AppLink href={moduleHistoryPage(m.module)} className="font-medium text-emerald-800 hover:underline">
                  {m.module}
                </AppLink>
              </td>
              <td className="px-3 py-2">
                <IncidentStatusBadge status={m.status} />
              </td>
              <td className="px-3 py-2 font-mono text-xs">{m.firstBadKernels.join(", ")}</td>
              <td className="px-3 py-2 font-mono text-xs">{m.fixedIn.length ? m.fixedIn.join(", ") : <span className="font-sans text-slate-400">not yet</span>}</td>
            </tr>
          ))}
        </tbody>
      </table></TableScroll>
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">The regressions</h2>
        <IncidentTable incidents={d.incidents} />
      </section>
    </div>
  );
}
