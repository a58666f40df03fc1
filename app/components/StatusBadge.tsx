import { STATUS_MEANING, STATUS_SYMBOL, type Status } from "@/lib/domain/status";
import { STATUS_CLASS } from "./status-style";

/** A status as colour + symbol + word, with its meaning on hover. */
export function StatusBadge({ status, compact = false }: { status: Status; compact?: boolean }) {
  return (
    <span
      title={STATUS_MEANING[status]}
      className={`inline-flex shrink-0 items-center gap-1 whitespace-nowrap rounded border px-1.5 py-0.5 text-xs font-medium ${STATUS_CLASS[status]}`}
      data-status={status}
    >
      <span aria-hidden>{STATUS_SYMBOL[status]}</span>
      {compact ? <span className="sr-only">{status}</span> : status}
    </span>
  );
}
