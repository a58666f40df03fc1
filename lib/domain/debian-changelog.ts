/**
 * Debian changelogs (`/usr/share/doc/<pkg>/changelog.Debian.gz`) date every upload of a package:
 *
 *   linux (7.3.4-1~bpo13+1) trixie-backports; urgency=medium
 *     * Rebuild for trixie-backports …
 *    -- Ben Hutchings <benh@debian.org>  Sun, 15 Nov 2026 23:30:52 +0100
 *
 * Pure: the runner reads the file, this turns it into dated uploads and answers the two questions
 * the demo asks: when was this exact package version uploaded (a kernel's release date), and when
 * was an upstream version first uploaded (a module version's release date).
 */

export interface ChangelogEntry {
  source: string;
  /** full Debian version, e.g. "7.3.4-1~bpo13+1", "1:2.11.1.0.20170917~dfsg-7.4" */
  version: string;
  /** "unstable", "trixie-backports", "experimental" … */
  distributions: string;
  /** the maintainer's signature date, as an ISO timestamp in UTC */
  date: string;
  /** the signature line's date as written ("Sun, 15 Nov 2026 23:30:52 +0100") */
  dateText: string;
}

const HEADER = /^([a-z0-9][a-z0-9+.-]*) \(([^()\s]+)\) ([^;]+);/;
const TRAILER = /^ -- .*?>\s+(.+?)\s*$/;

/** RFC 2822 date as written by dch; null when the line is not one. */
function parseRfc2822(text: string): string | null {
  const m = /^(?:[A-Za-z]{3},\s+)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+([+-])(\d{2})(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
  const month = months.indexOf(m[2].toLowerCase());
  if (month < 0) return null;
  const sign = m[7] === "-" ? -1 : 1;
  const offsetMin = sign * (Number(m[8]) * 60 + Number(m[9]));
  const utc = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)) - offsetMin * 60_000;
  if (!Number.isFinite(utc)) return null;
  return new Date(utc).toISOString();
}

/** Every dated entry, newest first (the file's order). Entries without a readable date are dropped. */
export function parseDebianChangelog(text: string): ChangelogEntry[] {
  const out: ChangelogEntry[] = [];
  let cur: Omit<ChangelogEntry, "date" | "dateText"> | null = null;
  for (const line of text.split("\n")) {
    const h = HEADER.exec(line);
    if (h) {
      cur = { source: h[1], version: h[2], distributions: h[3].trim() };
      continue;
    }
    const t = TRAILER.exec(line);
    if (t && cur) {
      const date = parseRfc2822(t[1]);
      if (date) out.push({ ...cur, date, dateText: t[1] });
      cur = null;
    }
  }
  return out;
}

/** Upstream part of a Debian version: no epoch, no Debian revision ("1:2.11.1-8.4" → "2.11.1"). */
export function debianUpstreamVersion(v: string): string {
  const noEpoch = v.replace(/^\d+:/, "");
  const dash = noEpoch.lastIndexOf("-");
  return dash > 0 ? noEpoch.slice(0, dash) : noEpoch;
}

/** The upload of exactly this package version. */
export function uploadOf(entries: readonly ChangelogEntry[], version: string): ChangelogEntry | null {
  return entries.find((e) => e.version === version) ?? null;
}

/**
 * The first (oldest) upload that carried this upstream version. Repackaging suffixes Debian adds to
 * the upstream part ("+dfsg", "~dfsg", "+ds") are ignored, so "1.12.0" matches "1.12.0+dfsg-1".
 */
export function firstUploadOfUpstream(entries: readonly ChangelogEntry[], upstream: string): ChangelogEntry | null {
  const norm = (v: string) => v.replace(/[+~](?:dfsg|ds)\d*$/i, "");
  let found: ChangelogEntry | null = null;
  for (const e of entries) if (norm(debianUpstreamVersion(e.version)) === norm(upstream)) found = e; // newest first: keep the last
  return found;
}

/**
 * The Linux version a Debian kernel package carries: "6.1.192-2" → "6.1.192",
 * "7.3~rc7-1~exp1" → "7.3-rc7", "7.3.4-1~bpo13+1" → "7.3.4".
 */
export function linuxVersionOfPackage(packageVersion: string): string {
  return debianUpstreamVersion(packageVersion).replace(/~rc(\d+)$/, "-rc$1");
}

/**
 * A kernel's identity for ModCompat. Debian's experimental rc kernels do not say "rc" in their
 * release string (linux-headers-7.3-amd64 7.3~rc7-1~exp1 installs /lib/modules/7.3-amd64), so the
 * package version is needed to tell them from the final release: "7.3-amd64" → "7.3-rc7-amd64".
 */
export function kernelIdentity(release: string, packageVersion: string | undefined): string {
  if (!packageVersion) return release;
  const rc = /~rc(\d+)-/.exec(packageVersion.replace(/^\d+:/, ""));
  if (!rc || /-rc\d+/.test(release)) return release;
  const upstream = debianUpstreamVersion(packageVersion).replace(/~rc\d+$/, "");
  if (!release.startsWith(`${upstream}-`)) return release;
  return `${upstream}-rc${rc[1]}${release.slice(upstream.length)}`;
}
