import type { SearchParams } from "@/lib/http/page";

export { first, type SearchParams } from "@/lib/http/page";

/** Build a URL of the matrix page that keeps the current filters and applies `changes`. */
export function hrefWith(base: string, current: SearchParams, changes: Record<string, string | string[] | null>): string {
  const p = new URLSearchParams();
  const merged: Record<string, string | string[] | null | undefined> = { ...current, ...changes };
  for (const [k, v] of Object.entries(merged)) {
    if (v == null || v === "" || (Array.isArray(v) && v.length === 0)) continue;
    p.set(k, Array.isArray(v) ? v.join(",") : v);
  }
  const qs = p.toString();
  return qs ? `${base}?${qs}` : base;
}
