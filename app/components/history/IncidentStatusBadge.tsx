import type { IncidentStatus } from "@/lib/domain/regressions";
import { STATUS_CLASS } from "@/app/components/status-style";

const LOOK: Record<IncidentStatus, { cls: string; symbol: string; title: string }> = {
  open: { cls: STATUS_CLASS.fail, symbol: "✗", title: "still failing: no release passes on the first bad kernel yet" },
  fixed: { cls: STATUS_CLASS.pass, symbol: "✓", title: "a later release (or kernel) passes where it broke" },
};

/** Incident status by colour, symbol and word. */
export function IncidentStatusBadge({ status }: { status: IncidentStatus }) {
  const look = LOOK[status];
  return (
    <span title={look.title} data-incident-status={status} className={`inline-flex items-center gap-1 rounded border px-1.5 py-0.5 text-xs font-medium ${look.cls}`}>
      <span aria-hidden>{look.symbol}</span>
      {status}
    </span>
  );
}
