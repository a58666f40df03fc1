import { fmtDate } from "./history/format";

/**
 * A date that says where it came from: the source text in a tooltip and a dotted underline, and a
 * plain "unknown" when there is no date. Release dates and dates seen are told apart in the text.
 */
export function DatedText({ at, source, seen = false }: { at: Date | string | null | undefined; source?: string | null; seen?: boolean }) {
  if (at == null) return <span className="text-slate-500">unknown</span>;
  const title = seen ? "when the build result was recorded (no release date known)" : (source ?? "source not recorded");
  return (
    <span title={title} className="cursor-help underline decoration-dotted underline-offset-2" data-date-source={title}>
      {fmtDate(at)}
      {seen && <span className="text-slate-500"> (seen)</span>}
    </span>
  );
}
