import { DISAGREEMENT_LABEL, type Disagreement } from "@/lib/domain/declared-range";

/**
 * Marks a matrix cell whose result contradicts the kernel range its version declares
 * (lib/services/history/declared-mismatches.ts). A symbol with a text label, not colour alone.
 */
export function DeclaredMark({ kind }: { kind: Disagreement | undefined }) {
  if (!kind) return null;
  return (
    <span data-declared={kind} title={DISAGREEMENT_LABEL[kind]} className="ml-0.5 align-super text-[9px] font-bold text-violet-800">
      ⚑<span className="sr-only"> {DISAGREEMENT_LABEL[kind]}</span>
    </span>
  );
}

export function DeclaredMarkLegend({ count, historyHref }: { count: number; historyHref: string }) {
  if (count === 0) return null;
  return (
    <p className="text-xs text-slate-600">
      <span className="font-bold text-violet-800">⚑</span> {count} cell{count === 1 ? "" : "s"} where the result contradicts the kernel range the version declares (declared supported but fails, or declared unsupported but passes);{" "}
      <a href={`${historyHref}#declared`} className="underline">
        list
      </a>
      .
    </p>
  );
}
