import { AppLink } from "@/app/components/AppLink";
import { upstreamNote } from "@/lib/domain/kernel-release";
import { formatSignature, signaturePath } from "@/lib/domain/signature";
import type { ModuleSupportDetail } from "@/lib/services/get-module-support";
import { SupportBadge } from "@/app/components/SupportBadge";

/** Is the module kept up with the kernel: its state, the last kernel it builds on, and the errors that hold it back. */
export async function SupportPanel({ detail }: { detail: Promise<ModuleSupportDetail> }) {
  const { support, errors } = await detail;
  if (support.state === "untested") return null;
  const tone = support.state === "orphaned" ? "border-red-300 bg-red-50" : support.state === "behind" ? "border-amber-300 bg-amber-50" : "border-slate-200 bg-white";
  return (
    <section className={`space-y-2 rounded border p-3 text-sm ${tone}`} aria-label="Kept up with the kernel?" data-testid="support" data-state={support.state}>
      <p className="flex flex-wrap items-center gap-2">
        <SupportBadge state={support.state} />
        <span>{support.sentence}.</span>
      </p>
      {support.lastKernel === null && (
        <p className="text-xs text-slate-700">
          The last kernel known to work is older than anything built here ({support.builtSeries?.oldest} is the oldest series built). Breakage
          before that is outside this data.
        </p>
      )}
      {errors.length > 0 && (
        <details open={support.state === "orphaned"}>
          <summary className="cursor-pointer text-xs text-slate-700">Why it fails on {support.failingSeries.join(", ")} ({errors.length} error line{errors.length === 1 ? "" : "s"})</summary>
          <ul className="mt-1 space-y-1 text-xs">
            {errors.map((e) => (
              <li key={e.errorLine}>
                {e.signature && (
                  <AppLink href={signaturePath(e.signature.symbol)} className="mr-1 rounded bg-white px-1 font-mono text-slate-800 underline">
                    {formatSignature(e.signature)}
                  </AppLink>
                )}
                <span className="break-words font-mono text-slate-700">{e.errorLine}</span>
                <span className="text-slate-500">
                  {" "}
                  on {e.kernels.slice(0, 4).map((k) => (upstreamNote(k.version, k.upstream) ? `${k.version} (Linux ${k.upstream})` : k.version)).join(", ")}
                  {e.kernels.length > 4 ? ` and ${e.kernels.length - 4} more` : ""}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
