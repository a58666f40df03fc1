/** Formatting shared by the history pages and their charts (server and client). */

export function fmtDate(d: Date | string | number | null | undefined): string {
  if (d == null) return "unknown";
  return new Date(d).toISOString().slice(0, 10);
}

export function fmtDays(days: number | null | undefined): string {
  if (days == null) return "unknown";
  if (days < 1) return "< 1 day";
  const n = Math.round(days);
  if (n < 60) return `${n} day${n === 1 ? "" : "s"}`;
  if (n < 730) return `${Math.round(n / 30.44)} months`;
  return `${(n / 365.25).toFixed(1)} years`;
}

export function modulePath(slug: string): string {
  return `/modules/${encodeURIComponent(slug)}`;
}

export function cellHistoryPath(slug: string, version: string, kernel: string, arch?: string): string {
  return `${modulePath(slug)}/cells/${encodeURIComponent(version)}/${encodeURIComponent(kernel)}${arch ? `?arch=${encodeURIComponent(arch)}` : ""}`;
}
