import { makeBadge } from "badge-maker";
import type { Verdict } from "../domain/verdict";
import type { BadgeFacts, BadgeOutcome } from "../services/check/get-badge";

/** Badge colours; the message always carries the verdict word too. */
export const VERDICT_BADGE_COLOR: Record<Verdict, string> = {
  works: "brightgreen",
  likely: "yellowgreen",
  broken: "red",
  unsupported: "orange",
  unknown: "lightgrey",
};

/** Unknown modules, versions and unparsable kernels still get a (grey) badge, with their status. */
export const BADGE_STATUS: Record<BadgeOutcome, number> = { verdict: 200, "unknown-module": 404, "unknown-version": 404, "not-a-kernel": 422 };

/** The SVG of a badge and its HTTP status; the service (getBadge) only says what the badge shows. */
export function renderBadge(b: BadgeFacts): { svg: string; status: number } {
  const color = b.verdict ? VERDICT_BADGE_COLOR[b.verdict] : VERDICT_BADGE_COLOR.unknown;
  return { svg: makeBadge({ label: b.label, message: b.message, color, style: "flat" }), status: BADGE_STATUS[b.outcome] };
}
