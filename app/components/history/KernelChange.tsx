import type { SignatureGroup } from "@/lib/domain/signature";
import { nextMainlineSeries } from "@/lib/domain/support-lag";

/** "in 6.8" when the last passing and first failing series are consecutive releases, else the window. */
export function KernelChange({ group }: { group: Pick<SignatureGroup, "firstBrokenSeries" | "lastPassingSeries"> }) {
  const { lastPassingSeries: last, firstBrokenSeries: first } = group;
  if (!last) return <span>(first seen failing on {first})</span>;
  if (nextMainlineSeries(last) === first) return <span>in {first}</span>;
  return (
    <span>
      somewhere after {last} (last passing), by {first} (first failing)
    </span>
  );
}
