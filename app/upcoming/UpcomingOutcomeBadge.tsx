import type { UpcomingOutcome } from "@/lib/domain/upcoming";

const LOOK: Record<UpcomingOutcome, { cls: string; text: string }> = {
  breaks: { cls: "border-red-300 bg-red-50 text-red-900", text: "✗ breaks" },
  declines: { cls: "border-slate-300 bg-slate-100 text-slate-700", text: "⊘ declines" },
  "not-built": { cls: "border-slate-200 bg-white text-slate-500", text: "? not built on it yet" },
  builds: { cls: "border-emerald-300 bg-emerald-50 text-emerald-900", text: "✓ builds" },
};

export function UpcomingOutcomeBadge({ outcome }: { outcome: UpcomingOutcome }) {
  const l = LOOK[outcome];
  return <span className={`inline-block whitespace-nowrap rounded border px-1.5 py-0.5 text-xs ${l.cls}`}>{l.text}</span>;
}
