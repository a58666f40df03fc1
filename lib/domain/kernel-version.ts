/**
 * Kernel release strings as people report them (`uname -r`, distro package names, upstream tags),
 * parsed into upstream and distro parts and put in one total order.
 *
 * Ordering rules (compareKernels, kernelSortKey):
 *  1. upstream: major, minor, patch (absent = 0), 4th component (absent = 0), then release
 *     candidates before the release they lead to (6.10-rc1 < 6.10-rc2 < 6.10 < 6.10.1).
 *     linux-next snapshots (`next-YYYYMMDD`) carry no upstream number, so they cannot be placed
 *     among releases; they sort after every numbered kernel, by date among themselves.
 *  2. distro revision, token by token: digit runs numerically, letter runs as text, a digit run
 *     after a letter run (RPM rule: 427.13.1.el9_4 > 427.el9_4), a shorter revision first,
 *     no revision before any revision.
 *  3. distro, in DISTROS order (so a plain upstream build comes before a locally modified one).
 *  4. flavour (none first), then the raw string, so distinct strings never compare equal.
 *
 * Only printable ASCII is accepted: `uname -r` output is ASCII, and it lets the sort key be made
 * of digits only, which every SQL collation orders byte-wise.
 */

import { compareDigits, compareLists, compareNullable, compareText, encodeDigits, encodeText, pad, sign } from "./version-compare";

export const DISTROS = [
  "mainline",
  "debian",
  "ubuntu",
  "fedora",
  "rhel",
  "arch",
  "suse",
  "proxmox",
  "raspberrypi",
  "gentoo",
  "custom",
] as const;
export type Distro = (typeof DISTROS)[number];

export interface KernelVersion {
  /** the exact input string (trimmed) */
  raw: string;
  /** 0 for linux-next snapshots, which carry no upstream number */
  major: number;
  minor: number;
  /** null when not written ("6.9") */
  patch: number | null;
  /** 4th component of 2.6.32.71-style versions */
  sub: number | null;
  /** "6.12"; "2.6.32" in the 2.6 era, where the third number was the release; "next" for linux-next */
  series: string;
  /** upstream part only, as written: "6.12.107", "6.1.0", "6.10-rc1", "next-20240610" */
  base: string;
  rc: number | null;
  /** "20240610" for linux-next snapshots and builds of them */
  nextDate: string | null;
  distro: Distro;
  /** ABI / package revision: "56", "deb12", "45", "200.fc40", "427.13.1.el9_4", "arch1-1" */
  distroRelease: string | null;
  /** "amd64", "cloud-amd64", "generic", "aws", "x86_64", "lts", "zen", "pve", "default", "rpi-v8" */
  flavour: string | null;
  /** whatever follows the upstream version when no distro pattern matched: "+", "-custom" */
  localSuffix: string | null;
}

export class KernelVersionError extends Error {
  readonly input: string;
  constructor(input: string, reason: string) {
    super(`cannot parse kernel version ${quoteInput(input)}: ${reason}`);
    this.name = "KernelVersionError";
    this.input = input;
  }
}

const MAX_INPUT_LENGTH = 200;
// Upper bounds double as the field widths of the fixed-width part of the sort key.
const MAX_MAJOR = 99;
const MAX_MINOR = 999;
const MAX_PATCH = 99_999;
const MAX_RC = 999;

// Long inputs are cut in messages so a hostile payload cannot flood logs.
function quoteInput(input: string): string {
  const shown = input.length > 80 ? `${input.slice(0, 80)}…` : input;
  return JSON.stringify(shown);
}

// ---------------------------------------------------------------------------------------------
// Distro patterns. Each is tried against what follows the upstream version (and any -rcN), in
// order; the first full match wins. Flavour lists are deliberately closed: an unknown word after
// an ABI number is more likely a local build than a distro kernel.

const DEBIAN_FLAVOUR =
  "(?:cloud-|rt-)?(?:amd64|arm64|arm64-16k|686|686-pae|armmp|armmp-lpae|marvell|rpi|powerpc64le|powerpc64le-64k|" +
  "s390x|riscv64|loong64|4kc-malta|5kc-malta|octeon|loongson-3|mips32r2el|mips64r2el|mips32r2eb|mips64r2eb|" +
  "mips32r6el|mips64r6el)";
const UBUNTU_FLAVOUR =
  "(?:generic|lowlatency|aws|azure|gcp|gke|gkeop|ibm|kvm|oem|oracle|raspi|realtime|nvidia|intel-iotg|intel|iot|" +
  "xilinx-zynqmp|allwinner|starfive|bluefield|fips|virtual|server)(?:-(?:64k|lpae|pae|nolpae|fde|cvm|lowlatency|tegra|igx))?";
const SUSE_FLAVOUR = "(?:default|azure|rt|kvmsmall|64kb|vanilla|preempt|pae|debug|zfcpdump|lpae|xen|ec2|trace|bigsmp)";
const RPM_ARCH = "[0-9a-z_]+(?:\\+[0-9a-z]+)?";

interface DistroPattern {
  distro: Distro;
  re: RegExp;
  /** capture group holding distroRelease / flavour; 0 = not present */
  release: number;
  flavour: number;
  /** some distros spell upstream release candidates inside their revision */
  rcInRelease?: RegExp;
}

const FEDORA_RC = /^0\.rc(\d+)(?:\.|$)/;

const DISTRO_PATTERNS: readonly DistroPattern[] = [
  // 6.12.38+deb13-amd64, 6.12.12+bpo-amd64: Debian since 6.12, real upstream patch level.
  { distro: "debian", re: new RegExp(`^\\+(deb\\d+(?:u\\d+)?|bpo)-(${DEBIAN_FLAVOUR})$`), release: 1, flavour: 2 },
  // 6.6.31+rpt-rpi-v8 and the older 6.1.0-rpi7-rpi-v8 (Raspberry Pi OS), 6.1.21-v8+ (Raspbian).
  { distro: "raspberrypi", re: /^\+(rpt)-(rpi-[0-9a-z]+)$/, release: 1, flavour: 2 },
  { distro: "raspberrypi", re: /^-(rpi\d+)-(rpi-[0-9a-z]+)$/, release: 1, flavour: 2 },
  { distro: "raspberrypi", re: /^-(v6|v7|v7l|v8|v8-16k)\+$/, release: 0, flavour: 1 },
  // 6.1.0-56-amd64: the ABI number replaces the patch level, which stays 0 as written.
  // 6.1.0-0.deb11.17-amd64: a backport of that scheme to the previous release.
  {
    distro: "debian",
    re: new RegExp(`^-(\\d+(?:\\.deb\\d+\\.\\d+)?)-(${DEBIAN_FLAVOUR})$`),
    release: 1,
    flavour: 2,
  },
  // 6.11-rc7-amd64, 6.10.11-amd64: experimental / unstable builds without an ABI number.
  { distro: "debian", re: new RegExp(`^-(${DEBIAN_FLAVOUR})$`), release: 0, flavour: 1 },
  // 6.8.0-45-generic, 5.15.0-1067-azure; mainline PPA builds 6.9.3-060903-generic, 6.10.0-061000rc1-generic.
  {
    distro: "ubuntu",
    re: new RegExp(`^-(\\d+(?:rc\\d+)?)-(${UBUNTU_FLAVOUR})$`),
    release: 1,
    flavour: 2,
    rcInRelease: /^\d{6}rc(\d+)$/,
  },
  // 6.1.0-060100rc1: a mainline PPA rc build written without its flavour, as pasted in bug reports.
  { distro: "ubuntu", re: /^-(\d{6}rc\d+)$/, release: 1, flavour: 0, rcInRelease: /^\d{6}rc(\d+)$/ },
  { distro: "proxmox", re: /^-(\d+)-(pve)$/, release: 1, flavour: 2 },
  // 6.9.7-arch1-1; 6.9.7-zen1-1-zen / -hardened1-1-hardened (flavour repeats the pkgver prefix); 6.6.30-1-lts.
  { distro: "arch", re: /^-(arch\d+-\d+)$/, release: 1, flavour: 0 },
  { distro: "arch", re: /^-(([a-z]+)\d+-\d+)-\2$/, release: 1, flavour: 2 },
  { distro: "arch", re: /^-(\d+)-(lts|MANJARO|aarch64-ARCH|armv7-ARCH|ARCH)$/, release: 1, flavour: 2 },
  // 6.9.7-200.fc40.x86_64; rawhide 6.11.0-0.rc5.20240830git20371ba12063.47.fc42.x86_64.
  {
    distro: "fedora",
    re: new RegExp(`^-(\\d[0-9A-Za-z._]*?\\.fc\\d+)(?:\\.(${RPM_ARCH}))?$`),
    release: 1,
    flavour: 2,
    rcInRelease: FEDORA_RC,
  },
  // 5.14.0-427.13.1.el9_4.x86_64(+rt), 2.6.18-419.el5, 5.15.0-208.159.3.el9uek.x86_64 (Oracle UEK).
  {
    distro: "rhel",
    re: new RegExp(`^-(\\d[0-9A-Za-z._]*?\\.el\\d+[0-9A-Za-z_]*(?:\\.centos(?:\\.plus)?)?)(?:\\.(${RPM_ARCH}))?$`),
    release: 1,
    flavour: 2,
  },
  // 6.2.0-0.rc2 (optionally .20230105git…): a Fedora pre-release written without its dist tag (after RHEL:
  // an .el9 tag is RHEL's).
  { distro: "fedora", re: /^-(0\.rc\d+(?:\.[0-9A-Za-z_]+)*)$/, release: 1, flavour: 0, rcInRelease: FEDORA_RC },
  // 6.4.0-150600.23.25-default (SLE / Leap), 6.9.7-1-default (Tumbleweed). After Ubuntu: "-1067-azure" is Ubuntu.
  { distro: "suse", re: new RegExp(`^-(\\d+(?:\\.\\d+)*)-(${SUSE_FLAVOUR})$`), release: 1, flavour: 2 },
  // 6.6.30-gentoo, 6.6.30-gentoo-dist, 6.1.67-gentoo-r1-x86_64.
  { distro: "gentoo", re: /^-gentoo(?:-(r\d+))?(?:-([0-9A-Za-z_]+(?:-[0-9A-Za-z_]+)*))?$/, release: 1, flavour: 2 },
];

const NEXT_RE = /^next-(\d{8})(.*)$/;
const NEXT_IN_SUFFIX_RE = /(?:^|-)next-(\d{8})(?![0-9])/;
const UPSTREAM_RE = /^(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?/;
const RC_RE = /^-rc(\d+)/;

// ---------------------------------------------------------------------------------------------
// Parsing

export function parseKernelVersion(input: string): KernelVersion {
  if (typeof input !== "string") throw new KernelVersionError(`[${typeof input}]`, "not a string");
  const raw = input.trim();
  if (raw === "") throw new KernelVersionError(input, "empty");
  if (raw.length > MAX_INPUT_LENGTH) throw new KernelVersionError(raw, `longer than ${MAX_INPUT_LENGTH} characters`);
  if (/\s/.test(raw)) throw new KernelVersionError(raw, "contains whitespace");
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new KernelVersionError(raw, "contains control characters");
  if (/[^\x21-\x7e]/.test(raw)) throw new KernelVersionError(raw, "contains non-ASCII characters");

  const next = NEXT_RE.exec(raw);
  if (next) return parseNext(raw, next[1], next[2]);

  const m = UPSTREAM_RE.exec(raw);
  if (!m) throw new KernelVersionError(raw, 'does not start with "major.minor" or "next-YYYYMMDD"');
  const major = component(raw, m[1], "major", MAX_MAJOR);
  const minor = component(raw, m[2], "minor", MAX_MINOR);
  const patch = m[3] === undefined ? null : component(raw, m[3], "patch", MAX_PATCH);
  const sub = m[4] === undefined ? null : component(raw, m[4], "4th component", MAX_PATCH);

  let rest = raw.slice(m[0].length);
  if (rest.startsWith(".")) throw new KernelVersionError(raw, "too many or empty version components");
  let rc: number | null = null;
  const rcMatch = RC_RE.exec(rest);
  if (rcMatch) {
    rc = component(raw, rcMatch[1], "rc", MAX_RC);
    rest = rest.slice(rcMatch[0].length);
  }

  let distro: Distro = "mainline";
  let distroRelease: string | null = null;
  let flavour: string | null = null;
  let localSuffix: string | null = null;
  let nextDate: string | null = null;
  if (rest !== "") {
    const hit = matchDistro(rest);
    if (hit) {
      distro = hit.pattern.distro;
      distroRelease = hit.release;
      flavour = hit.flavour;
      const embeddedRc = hit.pattern.rcInRelease && hit.release ? hit.pattern.rcInRelease.exec(hit.release) : null;
      if (embeddedRc && rc === null) rc = component(raw, embeddedRc[1], "rc", MAX_RC);
    } else {
      distro = "custom";
      localSuffix = rest;
      const nextMatch = NEXT_IN_SUFFIX_RE.exec(rest);
      if (nextMatch && isValidDate(nextMatch[1])) nextDate = nextMatch[1];
    }
  }

  const version = `${major}.${minor}${patch === null ? "" : `.${patch}`}${sub === null ? "" : `.${sub}`}`;
  return {
    raw,
    major,
    minor,
    patch,
    sub,
    series: seriesFromNumbers(major, minor, patch),
    base: rc === null ? version : `${version}-rc${rc}`,
    rc,
    nextDate,
    distro,
    distroRelease,
    flavour,
    localSuffix,
  };
}

export function tryParseKernelVersion(
  input: string,
): { ok: true; value: KernelVersion } | { ok: false; error: string } {
  try {
    return { ok: true, value: parseKernelVersion(input) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

function parseNext(raw: string, date: string, rest: string): KernelVersion {
  if (/^\d/.test(rest)) throw new KernelVersionError(raw, "linux-next date must be exactly YYYYMMDD");
  if (!isValidDate(date)) throw new KernelVersionError(raw, `"${date}" is not a calendar date`);
  return {
    raw,
    major: 0,
    minor: 0,
    patch: null,
    sub: null,
    series: "next",
    base: `next-${date}`,
    rc: null,
    nextDate: date,
    distro: rest === "" ? "mainline" : "custom",
    distroRelease: null,
    flavour: null,
    localSuffix: rest === "" ? null : rest,
  };
}

function component(raw: string, digits: string, name: string, max: number): number {
  if (digits.length > 1 && digits.startsWith("0")) throw new KernelVersionError(raw, `${name} has a leading zero`);
  const n = digits.length > 6 ? Infinity : Number(digits);
  if (n > max) throw new KernelVersionError(raw, `${name} ${digits} is out of range (max ${max})`);
  return n;
}

function isValidDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const mo = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1991 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function matchDistro(rest: string): { pattern: DistroPattern; release: string | null; flavour: string | null } | null {
  for (const pattern of DISTRO_PATTERNS) {
    const m = pattern.re.exec(rest);
    if (!m) continue;
    return {
      pattern,
      release: pattern.release ? (m[pattern.release] ?? null) : null,
      flavour: pattern.flavour ? (m[pattern.flavour] ?? null) : null,
    };
  }
  return null;
}

function seriesFromNumbers(major: number, minor: number, patch: number | null): string {
  // In 2.6.x the third number named the release (2.6.32) and a 4th one counted its stable updates.
  if (major === 2 && minor === 6 && patch !== null) return `2.6.${patch}`;
  return `${major}.${minor}`;
}

/**
 * Parsed kernel strings, kept: pages and the check compare, group and sort the same few hundred
 * kernel strings thousands of times per request (issue 11: parsing was 3-8 % of a page's CPU).
 * Frozen, since every caller shares one object; parsing is pure, so a kept parse is never stale.
 * Bounded: emptied when full. Strings that do not parse are not kept (each call throws again).
 */
const PARSED_MAX = 20_000;
const parsed = new Map<string, Readonly<KernelVersion>>();

function toKernel(k: KernelVersion | string): KernelVersion {
  if (typeof k !== "string") return k;
  const hit = parsed.get(k);
  if (hit) return hit;
  const v = Object.freeze(parseKernelVersion(k));
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(k, v);
  return v;
}

export function seriesOf(k: KernelVersion | string): string {
  return toKernel(k).series;
}

export function sameUpstreamAndRevision(a: KernelVersion | string, b: KernelVersion | string): boolean {
  const ka = toKernel(a);
  const kb = toKernel(b);
  return ka.base === kb.base && ka.distro === kb.distro && ka.distroRelease === kb.distroRelease;
}

// ---------------------------------------------------------------------------------------------
// Ordering. compareKernels works on the parsed fields; kernelSortKey encodes the same rules
// independently, and the tests check that both agree on every string they know.

type Token = { num: string } | { text: string };

/** Digit runs (leading zeros stripped) and letter runs; separators only delimit. */
const tokenized = new Map<string, readonly Token[]>();

/** Tokens of a distro revision; kept like toKernel's parses (compareKernels asks for the same few revisions). */
function tokenize(s: string): readonly Token[] {
  const hit = tokenized.get(s);
  if (hit) return hit;
  const tokens = Object.freeze((s.match(/\d+|[A-Za-z]+/g) ?? []).map((t) => Object.freeze(/^\d/.test(t) ? { num: t.replace(/^0+/, "") } : { text: t })));
  if (tokenized.size >= PARSED_MAX) tokenized.clear();
  tokenized.set(s, tokens);
  return tokens;
}

// A digit run after a letter run (RPM rule).
const compareToken = (x: Token, y: Token): number =>
  "num" in x && "num" in y ? compareDigits(x.num, y.num) : "text" in x && "text" in y ? compareText(x.text, y.text) : "num" in x ? 1 : -1;

function compareTokens(a: readonly Token[], b: readonly Token[]): number {
  return compareLists(a, b, compareToken);
}

function compareUpstream(a: KernelVersion, b: KernelVersion): number {
  const aNext = a.series === "next";
  const bNext = b.series === "next";
  if (aNext || bNext) return aNext && bNext ? compareText(a.nextDate ?? "", b.nextDate ?? "") : aNext ? 1 : -1;
  return (
    sign(a.major - b.major) ||
    sign(a.minor - b.minor) ||
    sign((a.patch ?? 0) - (b.patch ?? 0)) ||
    sign((a.sub ?? 0) - (b.sub ?? 0)) ||
    sign((a.rc ?? Infinity) - (b.rc ?? Infinity))
  );
}

export function compareKernels(a: KernelVersion | string, b: KernelVersion | string): number {
  const ka = toKernel(a);
  const kb = toKernel(b);
  return (
    compareUpstream(ka, kb) ||
    compareNullable(ka.distroRelease, kb.distroRelease, (x, y) => compareTokens(tokenize(x), tokenize(y))) ||
    sign(DISTROS.indexOf(ka.distro) - DISTROS.indexOf(kb.distro)) ||
    compareNullable(ka.flavour, kb.flavour, compareText) ||
    compareText(ka.raw, kb.raw)
  );
}

// Sort key: digits only. Upstream fields are fixed width; variable parts are self-delimiting so
// that comparing the concatenation compares field by field. Bounded by the 200-character input to
// well under PostgreSQL's B-tree entry limit.

function encodeTokens(tokens: readonly Token[]): string {
  // After a token: "1" text < "2" number (the RPM rule); "0" ends the list, so shorter sorts first.
  return tokens.map((t) => ("num" in t ? `2${encodeDigits(t.num)}` : `1${encodeText(t.text)}00`)).join("") + "0";
}

function encodeUpstream(k: KernelVersion): string {
  if (k.series === "next") return `1${k.nextDate ?? ""}`;
  return (
    "0" +
    pad(k.major, 2) +
    pad(k.minor, 3) +
    pad(k.patch ?? 0, 5) +
    pad(k.sub ?? 0, 5) +
    (k.rc === null ? "1000" : `0${pad(k.rc, 3)}`)
  );
}

export function kernelSortKey(k: KernelVersion | string): string {
  const kv = toKernel(k);
  return (
    encodeUpstream(kv) +
    (kv.distroRelease === null ? "0" : `1${encodeTokens(tokenize(kv.distroRelease))}`) +
    pad(DISTROS.indexOf(kv.distro), 2) +
    (kv.flavour === null ? "0" : `1${encodeText(kv.flavour)}00`) +
    encodeText(kv.raw)
  );
}

// ---------------------------------------------------------------------------------------------
// Series

// Widths match the sort key fields, so a series key can never overflow its padding.
const SERIES_RE = /^(0|[1-9]\d?)\.(0|[1-9]\d{0,2})(?:\.(0|[1-9]\d{0,4}))?$/;
/** The shape of a series, for documents (OpenAPI); tryParseSeries adds the rules a pattern cannot say. */
export const SERIES_SYNTAX = new RegExp(`^(?:next|${SERIES_RE.source.slice(1, -1)})$`);

/**
 * The one definition of "a kernel series" (schemas, feeds, badges, declared ranges use it): "6.12",
 * "2.6.32" (in the 2.6 era the third number named the release) or "next"; canonical, so a valid
 * series is exactly what parseKernelVersion(...).series gives for its kernels. Null when `text` is
 * not one; never throws.
 */
export function tryParseSeries(text: string): string | null {
  if (text === "next") return text;
  const m = SERIES_RE.exec(text);
  if (!m) return null;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const patch = m[3] === undefined ? null : Number(m[3]);
  if (patch !== null && !(major === 2 && minor === 6)) return null;
  return seriesFromNumbers(major, minor, patch) === text ? text : null;
}

export function isSeries(text: string): boolean {
  return tryParseSeries(text) !== null;
}

/** Like tryParseSeries, but throws a KernelVersionError that quotes the input. */
export function parseSeries(text: string): string {
  const s = tryParseSeries(text);
  if (s === null) throw new KernelVersionError(text, 'not a kernel series ("6.12", "2.6.32" or "next")');
  return s;
}

function seriesParts(series: string): number[] | "next" {
  const s = parseSeries(series);
  if (s === "next") return "next";
  return s.split(".").map(Number);
}

/** "6.9" < "6.10" < "7.0"; "2.6.32" < "3.0"; "next" after every numbered series. */
export function compareSeries(a: string, b: string): number {
  const pa = seriesParts(a);
  const pb = seriesParts(b);
  if (pa === "next" || pb === "next") return pa === pb ? 0 : pa === "next" ? 1 : -1;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined || pb[i] === undefined) return pa[i] === undefined ? -1 : 1;
    const c = sign(pa[i] - pb[i]);
    if (c) return c;
  }
  return 0;
}

/** Lexicographic key consistent with compareSeries; unlike kernelSortKey it accepts "next". */
export function seriesSortKey(series: string): string {
  const parts = seriesParts(series);
  if (parts === "next") return "1";
  return "0" + parts.map((p) => `1${pad(p, 5)}`).join("") + "0";
}

// ---------------------------------------------------------------------------------------------
// Kernel lines

/**
 * The one definition of "a kernel line": kernels built the same way, between which "the previous
 * kernel" means something. The same distro and flavour (debian/amd64, debian/cloud-amd64,
 * ubuntu/generic, mainline/…), custom builds per local suffix, linux-next on its own. Regressions,
 * the check's "failing since" and neighbours, the newest safe kernel and the headline all use it.
 */
export function kernelLine(k: KernelVersion | string): string {
  const kv = toKernel(k);
  if (kv.series === "next") return `next/${kv.localSuffix ?? ""}`;
  if (kv.distro === "custom") return `custom/${kv.localSuffix ?? ""}`;
  return `${kv.distro}/${kv.flavour ?? ""}`;
}

/**
 * Kernel lines built for a special purpose: real-time (Debian rt-amd64, SUSE rt, RHEL +rt),
 * cloud images (Debian cloud-amd64, Ubuntu aws/azure/gcp/kvm…), low-latency. Pages show the
 * generic line of each distro (Debian amd64, Ubuntu generic, Fedora, mainline…) by default and
 * these on demand (`?flavours=all`): a pass on 6.1.0-56-rt-amd64 says little to most users.
 */
const SPECIAL_FLAVOUR = /(^|[-_.+])(rt|realtime|cloud|lowlatency|aws|azure|gcp|gke|oracle|kvm|ibm|nvidia)([-_.+]|\d|$)/i;

/** The one flavour rule, on kernelLine's result: is this the generic line of its distro? */
export function isGenericLine(line: string): boolean {
  const flavour = line.slice(line.indexOf("/") + 1);
  return !SPECIAL_FLAVOUR.test(flavour);
}

/** isGenericLine of a kernel's line: 6.1.0-56-amd64 yes, 6.1.0-56-rt-amd64 and -cloud-amd64 no. */
export function isGenericFlavour(k: KernelVersion | string): boolean {
  return isGenericLine(kernelLine(k));
}

/** "debian/amd64" → "debian amd64"; "mainline/" → "mainline". */
export function lineLabel(line: string): string {
  return line.replace(/\/$/, "").replace("/", " ");
}
