import { VERDICT_MEANING, VERDICT_SYMBOL, type Verdict } from "@/lib/domain/verdict";

/** Colours per verdict; the symbol and the word are always printed too. */
export const VERDICT_CLASS: Record<Verdict, string> = {
  works: "bg-emerald-100 text-emerald-900 border-emerald-300",
  likely: "bg-lime-50 text-lime-900 border-lime-300",
  broken: "bg-red-100 text-red-900 border-red-300",
  unsupported: "bg-orange-100 text-orange-900 border-orange-300",
  unknown: "bg-slate-100 text-slate-700 border-slate-300",
};

export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  return (
    <span
      title={VERDICT_MEANING[verdict]}
      className={`inline-flex items-center gap-1 rounded border px-1.5 py-0.5 text-xs font-semibold ${VERDICT_CLASS[verdict]}`}
      data-verdict={verdict}
    >
      <span aria-hidden>{VERDICT_SYMBOL[verdict]}</span>
      {verdict}
    </span>
  );
}
