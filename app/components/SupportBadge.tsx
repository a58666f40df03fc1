import { SUPPORT_STATE_LABEL, type SupportState } from "@/lib/domain/support-state";

const LOOK: Record<SupportState, { cls: string; symbol: string }> = {
  current: { cls: "border-emerald-300 bg-emerald-50 text-emerald-900", symbol: "✓" },
  behind: { cls: "border-amber-300 bg-amber-50 text-amber-900", symbol: "◐" },
  orphaned: { cls: "border-red-300 bg-red-50 text-red-900", symbol: "✗" },
  untested: { cls: "border-slate-300 bg-slate-50 text-slate-600", symbol: "?" },
};

/** Whether a module keeps up with the kernel; symbol and word, never colour alone. */
export function SupportBadge({ state, title }: { state: SupportState; title?: string }) {
  const l = LOOK[state];
  return (
    <span className={`inline-block whitespace-nowrap rounded border px-1.5 py-0.5 ${l.cls}`} title={title}>
      {`${l.symbol} ${SUPPORT_STATE_LABEL[state]}`}
    </span>
  );
}
