import type { Metadata } from "next";
import { moduleHistoryPage } from "@/lib/links";
import { AppLink } from "@/app/components/AppLink";
import { formatSignature, SIGNATURE_KIND_LABEL, signaturePath } from "@/lib/domain/signature";
import { listSignatures } from "@/lib/services/regressions/list-signatures";
import { IncidentStatusBadge } from "@/app/components/history/IncidentStatusBadge";
import { KernelChange } from "@/app/components/history/KernelChange";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Kernel changes that broke modules" };

export default async function SignaturesPage() {
  const { signatures, unclassified } = await listSignatures();
  return (
    <div className="space-y-5">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">Kernel changes that broke modules</h1>
        <p className="max-w-3xl text-sm text-slate-600">
          Regressions grouped by the kernel symbol in their first error line: the function, struct member, macro or header that a kernel release removed or changed.
        </p>
      </header>
      {signatures.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
          No regression names a kernel symbol yet{unclassified > 0 ? ` (${unclassified} regression${unclassified === 1 ? "" : "s"} without a recognisable symbol)` : ""}.
        </p>
      ) : (
        <ul className="space-y-3">
          {signatures.map((s) => (
            <li key={s.symbol} className="rounded border border-slate-200 bg-white p-3 text-sm">
              <div className="flex flex-wrap items-baseline gap-2">
                <AppLink href={signaturePath(s.symbol)} className="font-mono text-base font-semibold text-emerald-800 hover:underline">
                  {formatSignature(s)}
                </AppLink>
                <span className="text-xs text-slate-500">{SIGNATURE_KIND_LABEL[s.kind]}</span>
                <span className="text-xs text-slate-600">
                  <KernelChange group={s} /> · broke {s.modules.length} module{s.modules.length === 1 ? "" : "s"}: <span className="text-red-800">✗ {s.openModules} still broken</span>,{" "}
                  <span className="text-emerald-800">✓ {s.fixedModules} fixed</span>
                </span>
              </div>
              <ul className="mt-1 flex flex-wrap gap-2">
                {s.modules.map((m) => (
                  <li key={m.module} className="flex items-center gap-1 text-xs">
                    <AppLink href={moduleHistoryPage(m.module)} className="underline">
                      {m.module}
                    </AppLink>
                    <IncidentStatusBadge status={m.status} />
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      {signatures.length > 0 && unclassified > 0 && (
        <p className="text-xs text-slate-500">
          {unclassified} further regression{unclassified === 1 ? " has" : "s have"} an error line without a recognisable kernel symbol (configure checks, type mismatches …); see{" "}
          <AppLink href="/regressions" className="underline">
            all regressions
          </AppLink>
          .
        </p>
      )}
    </div>
  );
}
