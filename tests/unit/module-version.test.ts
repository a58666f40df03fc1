import { describe, it, expect } from "vitest";
import {
  compareModuleVersions,
  isValidModuleVersion,
  moduleVersionSortKey,
} from "../../lib/domain/module-version";

// Hand-ordered; neighbours exercise one rule each.
const KNOWN_ORDER = [
  "0.4.5",
  "0.12.7",
  "0.13.2",
  "1.0.0~rc2", // Debian "~": before the release, and before a later "-rc"
  "1.0.0-rc3",
  "1.0", // equal to 1.0.0 but for the final raw-string tie-break
  "1.0.0",
  "1.0.0+build1", // build metadata only breaks ties
  "1.0.0-1", // a numeric suffix is a packaging revision: after the release
  "1.2",
  "v1.2", // "v" is ignored except as the final tie-break
  "1.6.1",
  "1.6.1+git20230101",
  "1.6.1+git20230201",
  "1.6.1-git20230101",
  "1.14.0",
  "2.1.11",
  "2.2.0-dev",
  "2.2.0-alpha",
  "2.2.0-alpha.2",
  "2.2.0-beta1",
  "2.2.0-rc.1",
  "2.2.0-rc1",
  "2.2.0-rc2",
  "2.2.0-rc10",
  "2.2.0",
  "2.2.4",
  "2.3.2",
  "2.13.1",
  "5.4",
  "5.4-1",
  "5.4-2",
  "5.4-10",
  "5.4-git20230101", // within a suffix, numbers before words
  "5.4.1",
  "20231005",
  "20240101",
];

const INVALID = ["", "abc", " 1.0", "1.0 ", "x1", "V1.2", "v", "1.0\n"];

const ALL_STRINGS = [...KNOWN_ORDER, "2.2.0rc1", "2.2.0.rc1", "1.0.0-RC3", "01.2", "1.02", "0", "0.0.0", ...INVALID];

function sorted(list: readonly string[], cmp: (a: string, b: string) => number): string[] {
  return [...list].sort(cmp);
}

const byKey = (a: string, b: string) => {
  const ka = moduleVersionSortKey(a);
  const kb = moduleVersionSortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

describe("isValidModuleVersion", () => {
  it.each([
    "0.12.7",
    "0.13.2",
    "2.2.4",
    "2.2.0-rc1",
    "1.6.1+git20230101",
    "v1.2",
    "20231005",
    "1.0.0~rc2",
    "5.4-1",
    "0",
    "1".repeat(100),
  ])("accepts %j", (v) => {
    expect(isValidModuleVersion(v)).toBe(true);
  });

  it.each([
    "",
    "v",
    "vv1",
    "V1.2",
    "a1.0",
    "-1.0",
    ".1",
    "1.0 beta",
    " 1.0",
    "1.0\n",
    "1.0\u0000",
    "1.0\u007f",
    "1.0-caf\u00e9",
    "1".repeat(101),
  ])("rejects %j", (v) => {
    expect(isValidModuleVersion(v)).toBe(false);
  });
});

describe("compareModuleVersions", () => {
  it.each([
    ["0.12.7", "0.13.2"],
    ["0.4.5", "0.12.7"],
    ["2.1.11", "2.2.4"],
    ["2.2.0-rc1", "2.2.0"],
    ["2.2.0-rc1", "2.2.0-rc2"],
    ["2.2.0-rc9", "2.2.0-rc10"],
    ["2.2.0-alpha", "2.2.0-beta"],
    ["2.2.0-beta", "2.2.0-rc1"],
    ["1.0.0~rc2", "1.0.0"],
    ["1.0.0", "1.0.0+git1"],
    ["1.6.1", "1.6.1+git20230101"],
    ["1.9.9", "1.10.0"],
    ["1.2", "v1.3"],
    ["5.4", "5.4-1"],
    ["5.4-1", "5.4.1"],
    ["2.2.4", "2.13.1"],
    ["1.14.0", "2.2.0-rc1"],
    ["9.9", "20231005"],
    ["2.2.0rc1", "2.2.0"],
    ["5.4-1", "5.4-git20230101"],
    ["2.2.0-rc.1", "2.2.0-rc.x"],
  ])("%s < %s", (a, b) => {
    expect(compareModuleVersions(a, b)).toBeLessThan(0);
    expect(compareModuleVersions(b, a)).toBeGreaterThan(0);
  });

  it("treats missing components as 0 but never calls distinct strings equal", () => {
    expect(compareModuleVersions("1.2", "1.2.0")).toBeLessThan(0);
    expect(compareModuleVersions("1.2.0", "1.2.0.0")).toBeLessThan(0);
    expect(compareModuleVersions("1.2.0", "1.2.1")).toBeLessThan(0);
    expect(compareModuleVersions("1.2.0.0", "1.2.1")).toBeLessThan(0);
    expect(compareModuleVersions("1.02", "1.2")).not.toBe(0);
    expect(compareModuleVersions("1.02", "1.3")).toBeLessThan(0);
    expect(compareModuleVersions("1.2.3", "1.2.3")).toBe(0);
  });

  it("sorts invalid strings after every valid one", () => {
    for (const bad of INVALID) {
      expect(compareModuleVersions("99999999", bad)).toBeLessThan(0);
      expect(compareModuleVersions(bad, "0")).toBeGreaterThan(0);
    }
  });

  it.each([1, 2, 3, 4, 5])("sorts a shuffled list back into the known order (seed %i)", (seed) => {
    const input = shuffled(KNOWN_ORDER, seed);
    expect(input).not.toEqual(KNOWN_ORDER);
    expect(sorted(input, compareModuleVersions)).toEqual(KNOWN_ORDER);
  });

  it("is a total order over every string in this file", () => {
    for (const a of ALL_STRINGS) {
      expect(compareModuleVersions(a, a)).toBe(0);
      for (const b of ALL_STRINGS) {
        if (a === b) continue;
        const ab = compareModuleVersions(a, b);
        expect(ab).not.toBe(0);
        expect(Math.sign(compareModuleVersions(b, a))).toBe(-Math.sign(ab));
      }
    }
    const s = sorted(ALL_STRINGS, compareModuleVersions);
    for (let i = 0; i < s.length; i++) {
      for (let j = i + 1; j < s.length; j++) expect(compareModuleVersions(s[i], s[j])).toBeLessThan(0);
    }
  });
});

describe("moduleVersionSortKey", () => {
  it("is made of digits only", () => {
    for (const v of ALL_STRINGS) expect(moduleVersionSortKey(v)).toMatch(/^[0-9]+$/);
  });

  it("orders exactly like compareModuleVersions for every pair", () => {
    for (const a of ALL_STRINGS) {
      for (const b of ALL_STRINGS) expect(Math.sign(byKey(a, b))).toBe(Math.sign(compareModuleVersions(a, b)));
    }
  });

  it("sorting by key gives the known order", () => {
    expect(sorted(shuffled(KNOWN_ORDER, 8), byKey)).toEqual(KNOWN_ORDER);
    expect(sorted(shuffled(ALL_STRINGS, 9), byKey)).toEqual(sorted(ALL_STRINGS, compareModuleVersions));
  });

  it("distinguishes every distinct string", () => {
    expect(new Set(ALL_STRINGS.map(moduleVersionSortKey)).size).toBe(ALL_STRINGS.length);
  });

  it("encodes numbers by length first, so 10 sorts after 9 lexicographically", () => {
    expect(moduleVersionSortKey("9") < moduleVersionSortKey("10")).toBe(true);
    expect(moduleVersionSortKey("2.2.0-rc9") < moduleVersionSortKey("2.2.0-rc10")).toBe(true);
    expect(moduleVersionSortKey("20231005") < moduleVersionSortKey("100000000")).toBe(true);
  });
});

function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed;
  const rnd = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
