import { describe, expect, it } from "vitest";
import { KEPT_LIFETIME_MS, keptUntil } from "@/lib/services/kept-lifetime";

describe("how long a kept entry lives", () => {
  it("a minute, plus up to a quarter of one at random", () => {
    expect(keptUntil(1_000, 0)).toBe(1_000 + KEPT_LIFETIME_MS);
    expect(keptUntil(1_000, 0.999)).toBeCloseTo(1_000 + KEPT_LIFETIME_MS * 1.24975, 6);
    expect(KEPT_LIFETIME_MS).toBe(60_000);
  });
  it("entries kept in the same millisecond run out spread over 15 s, not together", () => {
    const until = Array.from({ length: 1_000 }, () => keptUntil(0));
    expect(Math.min(...until)).toBeGreaterThanOrEqual(60_000);
    expect(Math.max(...until)).toBeLessThan(75_000);
    // in any one second of that span, a small share of them
    const perSecond = new Map<number, number>();
    for (const u of until) perSecond.set(Math.floor(u / 1_000), (perSecond.get(Math.floor(u / 1_000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThan(200);
  });
});
