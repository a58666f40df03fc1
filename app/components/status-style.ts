import type { Status } from "@/lib/domain/status";
import type { GroupHeadline } from "@/lib/domain/matrix";

/** Colours per status; every use also prints the symbol or word, so colour is never the only cue. */
export const STATUS_CLASS: Record<Status, string> = {
  pass: "bg-emerald-100 text-emerald-900 border-emerald-300",
  fail: "bg-red-100 text-red-900 border-red-300",
  error: "bg-amber-50 text-amber-900 border-amber-300",
  skip: "bg-slate-100 text-slate-600 border-slate-300",
};

export const HEADLINE_CLASS: Record<GroupHeadline, string> = {
  ...STATUS_CLASS,
  mixed: "bg-orange-100 text-orange-900 border-orange-300",
  none: "bg-white text-slate-500 border-slate-200",
};
