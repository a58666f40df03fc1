import { STATUSES, STATUS_MEANING } from "@/lib/domain/status";
import { SERIES_SUMMARY_RULE } from "@/lib/domain/matrix";
import { StatusBadge } from "./StatusBadge";
import { HEADLINE_CLASS } from "./status-style";

export function StatusLegend({ withMixed = false }: { withMixed?: boolean }) {
  return (
    <ul className="flex flex-wrap gap-x-5 gap-y-1 text-xs text-slate-600" aria-label="Legend">
      {STATUSES.map((s) => (
        <li key={s} className="flex items-center gap-1.5">
          <StatusBadge status={s} /> <span>{STATUS_MEANING[s]}</span>
        </li>
      ))}
      {withMixed && (
        <li className="flex items-center gap-1.5">
          <span className={`rounded border px-1.5 py-0.5 text-xs font-medium ${HEADLINE_CLASS.mixed}`}>◐ mixed</span>
          <span>series column: some kernels pass, some fail</span>
        </li>
      )}
      {withMixed && (
        <li className="basis-full" data-testid="summary-rule">
          {SERIES_SUMMARY_RULE}
        </li>
      )}
    </ul>
  );
}
