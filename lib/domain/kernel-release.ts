import { parseKernelVersion, type KernelVersion } from "./kernel-version";

/**
 * What a kernel is beyond its string: the Linux version its package carries, when it came out,
 * and whether it is still to come. Pure; the pages, the API, the feeds and the check all call these.
 */

/**
 * Upcoming kernels are release candidates (the string says -rcN) and kernels the reporter flagged
 * as pre-releases (Debian experimental's linux-headers-7.3-amd64 says "7.3-amd64"; only its package
 * version, 7.3~rc7-1~exp1, tells it is an rc). Their results are early warnings, not verdicts on a
 * release: they stay out of the "last kernel it builds on" and orphan rules.
 */
export function isUpcoming(k: { rc: number | null; prerelease: boolean }): boolean {
  return k.rc !== null || k.prerelease;
}

// Kernel strings whose upstream part is not the Linux version: Debian's ABI scheme (6.1.0-56 is
// Linux 6.1.192), Ubuntu's (6.8.0-45), Proxmox's, SUSE's, RHEL's (backports on a frozen base).
function stringCarriesUpstream(k: KernelVersion): boolean {
  switch (k.distro) {
    case "mainline":
    case "fedora":
    case "arch":
    case "gentoo":
    case "raspberrypi":
    case "custom":
      return true;
    case "debian":
      return k.distroRelease === null || !/^\d/.test(k.distroRelease);
    default:
      return false;
  }
}

/**
 * The Linux version a kernel carries: the reported one, else the kernel string's own upstream part
 * where that is the Linux version (6.12.107+deb12-amd64 → 6.12.107); null when unknown
 * (6.1.0-56-amd64 says nothing about its 6.1.y).
 */
export function upstreamOf(k: { version: string; upstreamVersion: string | null }): string | null {
  if (k.upstreamVersion) return k.upstreamVersion;
  const parsed = parseKernelVersion(k.version);
  return stringCarriesUpstream(parsed) && parsed.series !== "next" ? parsed.base : null;
}

/**
 * The Linux version worth printing next to a kernel string: null when unknown, or when the string
 * already starts with it (6.12.107+deb12-amd64 is plainly 6.12.107). Every page uses this one test.
 */
export function upstreamNote(version: string, upstream: string | null | undefined): string | null {
  if (!upstream || version === upstream) return null;
  return version.startsWith(`${upstream}-`) || version.startsWith(`${upstream}+`) ? null : upstream;
}

/** "6.1.0-56-amd64 · Linux 6.1.192", or the bare string when the upstream version is unknown or already in it. */
export function kernelLabel(k: { version: string; upstreamVersion: string | null }): string {
  const note = upstreamNote(k.version, upstreamOf(k));
  return note ? `${k.version} · Linux ${note}` : k.version;
}

/** The upstream version label of an rc: "Linux 7.3-rc7" from "7.3-rc7-amd64", or from the reported upstream version. */
export function upcomingName(k: { version: string; upstreamVersion: string | null }): string {
  return `Linux ${upstreamOf(k) ?? parseKernelVersion(k.version).base}`;
}
