import { compareKernels, compareSeries, parseKernelVersion, tryParseKernelVersion, tryParseSeries, type KernelVersion } from "./kernel-version";
import type { Status } from "./status";

/**
 * Declared kernel ranges (dkms.conf BUILD_EXCLUSIVE_KERNEL_MIN/MAX, OpenZFS META Linux-Minimum /
 * Linux-Maximum) against what the builds show. A bound written as a series ("6.17") covers the whole
 * series, as OpenZFS means it; a longer bound ("6.12.5") is compared with the kernel's upstream
 * version. A bound that is not a kernel version is ignored rather than guessed at.
 */

export const DECLARED_POSITIONS = ["inside", "outside", "unknown"] as const;
export type DeclaredPosition = (typeof DECLARED_POSITIONS)[number];

export const DISAGREEMENTS = ["declared-but-fails", "undeclared-but-passes"] as const;
export type Disagreement = (typeof DISAGREEMENTS)[number];

export const DISAGREEMENT_LABEL: Record<Disagreement, string> = {
  "declared-but-fails": "declared supported, but fails",
  "undeclared-but-passes": "declared unsupported, but passes",
};

export interface DeclaredRange {
  min: string | null;
  max: string | null;
}

type Bound = { series: string } | { base: KernelVersion };

function parseBound(raw: string | null): Bound | null {
  const text = raw?.trim();
  if (!text) return null;
  const series = tryParseSeries(text);
  if (series === "next") return null;
  if (series !== null) return { series };
  const parsed = tryParseKernelVersion(text);
  if (!parsed.ok || parsed.value.series === "next") return null;
  return { base: parseKernelVersion(parsed.value.base) };
}

function compareToBound(k: KernelVersion, bound: Bound): number {
  return "series" in bound ? compareSeries(k.series, bound.series) : compareKernels(parseKernelVersion(k.base), bound.base);
}

export function declaredPosition(kernel: KernelVersion | string, range: DeclaredRange): DeclaredPosition {
  const k = typeof kernel === "string" ? tryParseKernelVersion(kernel) : { ok: true as const, value: kernel };
  if (!k.ok || k.value.series === "next") return "unknown";
  const min = parseBound(range.min);
  const max = parseBound(range.max);
  if (!min && !max) return "unknown";
  if (min && compareToBound(k.value, min) < 0) return "outside";
  if (max && compareToBound(k.value, max) > 0) return "outside";
  return "inside";
}

/** Only verdicts can disagree: `error` says nothing and `skip` is the module honouring its own rule. */
export function declaredDisagreement(position: DeclaredPosition, status: Status): Disagreement | null {
  if (position === "inside" && status === "fail") return "declared-but-fails";
  if (position === "outside" && status === "pass") return "undeclared-but-passes";
  return null;
}
