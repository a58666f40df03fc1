import { MODULE_STATE_LABEL, type ModuleListState } from "@/lib/domain/module-state";
import { STATUS_SYMBOL, type Status } from "@/lib/domain/status";
import { HEADLINE_CLASS } from "./status-style";

/** globals.css: the STATUS_CLASS colours under short names (the landing page draws hundreds). */
export const SERIES_BADGE_CLASS: Record<Status, string> = { pass: "sb sb-pass", fail: "sb sb-fail", error: "sb sb-error", skip: "sb sb-skip" };

const STATE_CLASS = {
  pass: HEADLINE_CLASS.pass,
  fail: HEADLINE_CLASS.fail,
  mixed: HEADLINE_CLASS.mixed,
  "no-verdict": "bg-white text-slate-700 border-dashed border-slate-400",
} as const;

/** The module list's state column: one word, then the newest version's status on each series. */
export function ModuleStateCell({ state }: { state: ModuleListState }) {
  return (
    <div className="flex flex-wrap items-center gap-1">
      <span className={`whitespace-nowrap rounded border px-1.5 py-0.5 font-medium ${STATE_CLASS[state.state]}`}>{MODULE_STATE_LABEL[state.state]}</span>
      {state.series.map((s) => (
        <span key={s.series} title={`${state.version} on ${s.kernel}: ${s.status}`} className={SERIES_BADGE_CLASS[s.status]}>
          {`${s.series} ${STATUS_SYMBOL[s.status]}`}
          <span className="sr-only">{` ${s.status}`}</span>
        </span>
      ))}
    </div>
  );
}
