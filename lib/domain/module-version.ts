/**
 * Versions of out-of-tree modules: semver (2.2.0-rc1), Debian-ish (1.0.0~rc2, 5.4-1), snapshots
 * (1.6.1+git20230101), dates (20231005), with or without a leading "v".
 *
 * Ordering (compareModuleVersions, moduleVersionSortKey):
 *  1. numeric core, component by component; missing components count as 0 (1.2 == 1.2.0 here).
 *  2. phase: pre-release < release < post-release.
 *     Pre-release: "~anything" (Debian), or a known tag after "-", "." or directly (rc1, -beta.2,
 *     -alpha, .rc1, dev, pre). Post-release: any other suffix ("5.4-1" is a packaging revision of
 *     5.4, not a pre-release of it; "-git20230101" a snapshot after it).
 *  3. the suffix, token by token: end first, then digit runs (numerically), then words
 *     (dev < alpha < beta < pre < rc < anything else, then alphabetically, case-insensitive).
 *  4. build metadata after "+": none first, then token by token as above.
 *  5. the raw string, so distinct strings never compare equal.
 * Strings that fail isValidModuleVersion sort after all valid ones, by raw string.
 */

import { compareDigits, compareLists, compareNullable, compareText, encodeDigits, encodeText, pad, sign } from "./version-compare";

const MAX_LENGTH = 100;

/** Printable ASCII only: keeps the sort key digits-only, which every SQL collation orders byte-wise. */
export function isValidModuleVersion(v: string): boolean {
  return typeof v === "string" && v.length > 0 && v.length <= MAX_LENGTH && /^[\x21-\x7e]+$/.test(v) && /^v?\d/.test(v);
}

const PRE_RELEASE_RANK: Readonly<Record<string, number>> = {
  dev: 0,
  alpha: 1,
  a: 1,
  beta: 2,
  b: 2,
  pre: 3,
  preview: 3,
  rc: 4,
};
const OTHER_WORD_RANK = 5;

const Phase = { Pre: 0, Release: 1, Post: 2 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

type Token = { num: string } | { word: string; rank: number };

interface Parsed {
  /** digit strings without leading zeros, trailing zero components dropped */
  core: string[];
  phase: Phase;
  suffix: Token[];
  build: Token[] | null;
}

function tokenize(s: string): Token[] {
  return (s.match(/\d+|[A-Za-z]+/g) ?? []).map((t) => {
    if (/^\d/.test(t)) return { num: t.replace(/^0+/, "") };
    const word = t.toLowerCase();
    return { word, rank: PRE_RELEASE_RANK[word] ?? OTHER_WORD_RANK };
  });
}

function parse(v: string): Parsed | null {
  if (!isValidModuleVersion(v)) return null;
  const body = v.startsWith("v") ? v.slice(1) : v;
  const coreText = /^\d+(?:\.\d+)*/.exec(body)![0];
  const core = coreText.split(".").map((c) => c.replace(/^0+/, ""));
  while (core.length > 0 && core[core.length - 1] === "") core.pop();

  let rest = body.slice(coreText.length);
  let build: Token[] | null = null;
  const plus = rest.indexOf("+");
  if (plus >= 0) {
    build = tokenize(rest.slice(plus + 1));
    rest = rest.slice(0, plus);
  }

  let phase: Phase;
  let suffix: string;
  if (rest === "") {
    phase = Phase.Release;
    suffix = "";
  } else if (rest.startsWith("~")) {
    phase = Phase.Pre;
    suffix = rest.slice(1);
  } else {
    suffix = rest.replace(/^[-._]/, "");
    const word = /^[A-Za-z]+/.exec(suffix)?.[0].toLowerCase();
    phase = word !== undefined && word in PRE_RELEASE_RANK ? Phase.Pre : Phase.Post;
  }
  return { core, phase, suffix: tokenize(suffix), build };
}

// Core lists carry no trailing zeros, so the one that goes on is the bigger.
const compareCore = (a: string[], b: string[]) => compareLists(a, b, compareDigits);

// End first (compareLists), then digit runs, then words.
const compareToken = (x: Token, y: Token): number =>
  "num" in x && "num" in y ? compareDigits(x.num, y.num) : "word" in x && "word" in y ? sign(x.rank - y.rank) || compareText(x.word, y.word) : "num" in x ? -1 : 1;

const compareTokens = (a: Token[], b: Token[]) => compareLists(a, b, compareToken);

const compareBuild = (a: Token[] | null, b: Token[] | null) => compareNullable(a, b, compareTokens);

export function compareModuleVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (pa === null || pb === null) {
    if (pa !== pb) return pa === null ? 1 : -1;
    return compareText(a, b);
  }
  return (
    compareCore(pa.core, pb.core) ||
    sign(pa.phase - pb.phase) ||
    compareTokens(pa.suffix, pb.suffix) ||
    compareBuild(pa.build, pb.build) ||
    compareText(a, b)
  );
}

// Sort key: digits only, each part self-delimiting so the concatenation compares part by part.

function encodeTokens(tokens: Token[]): string {
  return tokens.map((t) => ("num" in t ? `1${encodeDigits(t.num)}` : `2${t.rank}${encodeText(t.word)}00`)).join("") + "0";
}

export function moduleVersionSortKey(v: string): string {
  const p = parse(v);
  if (p === null) {
    // Any UTF-16 code unit, five digits each, mirroring the raw comparison above.
    let out = "9";
    for (let i = 0; i < String(v).length; i++) out += pad(String(v).charCodeAt(i), 5);
    return out;
  }
  return (
    "1" +
    p.core.map((c) => `1${encodeDigits(c)}`).join("") +
    "0" +
    String(p.phase) +
    encodeTokens(p.suffix) +
    (p.build === null ? "0" : `1${encodeTokens(p.build)}`) +
    encodeText(v)
  );
}
