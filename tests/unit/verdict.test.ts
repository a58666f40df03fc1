import { describe, expect, it } from "vitest";
import { declaredPosition, type DeclaredPosition } from "../../lib/domain/declared-range";
import { parseKernelVersion } from "../../lib/domain/kernel-version";
import type { Status } from "../../lib/domain/status";
import {
  CHECK_OUTCOMES,
  VERDICTS,
  VERDICT_MEANING,
  VERDICT_PHRASE,
  VERDICT_SYMBOL,
  checkOutcome,
  foldByKernel,
  judgeVersion,
  newestCommonPass,
  passingKernels,
  type CheckOutcome,
  type KernelCell,
  type Verdict,
  type VersionFacts,
} from "../../lib/domain/verdict";

const K = parseKernelVersion;
const STRLCPY = "implicit declaration of function 'strlcpy'";

function cell(kernel: string, status: Status, opts: { arch?: string; errorLine?: string; at?: string } = {}): KernelCell {
  return {
    kernel: K(kernel),
    arch: opts.arch ?? "x86_64",
    status,
    errorLine: opts.errorLine ?? (status === "fail" ? STRLCPY : null),
    logUrl: status === "fail" ? `https://ci.example/${kernel}/make.log` : null,
    lastResultAt: new Date(opts.at ?? "2026-11-20T10:00:00Z"),
  };
}

function facts(version: string, cells: KernelCell[], range: { min?: string; max?: string } = {}): VersionFacts {
  return { version, declaredKernelMin: range.min ?? null, declaredKernelMax: range.max ?? null, cells };
}

type Row = [name: string, target: string, facts: VersionFacts, verdict: Verdict, reasonHas: string];

// The rules of lib/domain/verdict.ts, one line each, in the order they apply.
const TABLE: Row[] = [
  ["pass on the exact kernel", "6.1.0-56-amd64", facts("0.12.7", [cell("6.1.0-56-amd64", "pass")]), "works", "passes on 6.1.0-56-amd64"],
  ["fail on the exact kernel", "6.12.107+deb12-amd64", facts("0.12.7", [cell("6.12.107+deb12-amd64", "fail")]), "broken", STRLCPY],
  ["skip on the exact kernel", "6.9.3", facts("2.2.4", [cell("6.9.3", "skip")]), "unsupported", "declines 6.9.3"],
  ["only an environment error there", "6.9.3", facts("2.2.4", [cell("6.9.3", "error", { errorLine: "timed out" })]), "unknown", "only environment errors"],
  ["no evidence at all", "6.9.3", facts("2.2.4", []), "unknown", "no result for 2.2.4 on 6.9.3"],
  ["evidence only from another series", "6.12.95", facts("2.2.4", [cell("6.11.10", "pass")]), "unknown", "or any other 6.12 kernel"],
  // another flavour of the same build
  ["same upstream and revision passes", "6.1.0-56-amd64", facts("0.12.7", [cell("6.1.0-56-cloud-amd64", "pass")]), "works", "same upstream version and revision"],
  ["same upstream and revision fails", "6.1.0-56-amd64", facts("0.12.7", [cell("6.1.0-56-rt-amd64", "fail")]), "broken", "fails on 6.1.0-56-rt-amd64"],
  [
    "a failing flavour outweighs a passing one",
    "6.1.0-56-amd64",
    facts("0.12.7", [cell("6.1.0-56-cloud-amd64", "pass"), cell("6.1.0-56-rt-amd64", "fail")]),
    "broken",
    "6.1.0-56-rt-amd64",
  ],
  ["same upstream and revision skips", "6.8.0-45-generic", facts("2.2.4", [cell("6.8.0-45-lowlatency", "skip")]), "unsupported", "declines 6.8.0-45-lowlatency"],
  ["another revision is not the same build", "6.1.0-57-amd64", facts("0.12.7", [cell("6.1.0-56-amd64", "fail")]), "unknown", "may not build here either"],
  // declared ranges
  ["declared maximum below the kernel", "6.9.3", facts("2.2.4", [], { min: "4.18", max: "6.8" }), "unsupported", "kernels 4.18 to 6.8, which excludes 6.9.3"],
  ["declared minimum above the kernel", "4.14.336", facts("2.2.4", [], { min: "4.18" }), "unsupported", "kernels 4.18 and newer"],
  ["a series maximum admits the whole series", "6.8.12", facts("2.2.4", [], { max: "6.8" }), "likely", "kernels up to 6.8"],
  ["declared support, nothing against it", "6.6.58", facts("2.2.4", [], { min: "4.18", max: "6.8" }), "likely", "declares support"],
  ["an exact pass outranks a declared range", "6.9.3", facts("2.2.4", [cell("6.9.3", "pass")], { max: "6.8" }), "works", "passes on 6.9.3"],
  ["a declared exclusion outranks neighbours", "6.9.3", facts("2.2.4", [cell("6.9.1", "pass")], { max: "6.8" }), "unsupported", "excludes"],
  // neighbours of the same series
  ["newer kernel, older neighbour passes", "6.12.110+deb12-amd64", facts("0.13.2", [cell("6.12.107+deb12-amd64", "pass")]), "likely", "passes on 6.12.107+deb12-amd64"],
  [
    "neighbours on both sides pass",
    "6.12.100+deb12-amd64",
    facts("0.13.2", [cell("6.12.95+deb12-amd64", "pass"), cell("6.12.107+deb12-amd64", "pass")]),
    "likely",
    "6.12.95+deb12-amd64 and 6.12.107+deb12-amd64",
  ],
  [
    "only the nearest neighbour counts",
    "6.12.110+deb12-amd64",
    facts("0.13.2", [cell("6.12.57+deb12-amd64", "fail"), cell("6.12.107+deb12-amd64", "pass")]),
    "likely",
    "6.12.107+deb12-amd64",
  ],
  [
    "a failing neighbour contradicts",
    "6.12.100+deb12-amd64",
    facts("0.12.7", [cell("6.12.95+deb12-amd64", "pass"), cell("6.12.107+deb12-amd64", "fail")]),
    "unknown",
    "fails on 6.12.107+deb12-amd64: " + STRLCPY,
  ],
  ["a skipping neighbour contradicts", "6.9.5", facts("2.2.4", [cell("6.9.3", "skip")]), "unknown", "declines 6.9.3"],
  ["other distros serve when the own has none", "6.12.110+deb12-amd64", facts("0.13.2", [cell("6.12.100", "pass")]), "likely", "6.12.100"],
  [
    "the own distro is preferred",
    "6.12.110+deb12-amd64",
    facts("0.12.7", [cell("6.12.108", "pass"), cell("6.12.107+deb12-amd64", "fail")]),
    "unknown",
    "6.12.107+deb12-amd64",
  ],
  [
    "errors on a neighbour are not evidence",
    "6.12.110+deb12-amd64",
    facts("0.13.2", [cell("6.12.107+deb12-amd64", "pass"), cell("6.12.109+deb12-amd64", "error")]),
    "likely",
    "6.12.107+deb12-amd64",
  ],
  [
    "environment error on the kernel, neighbours pass",
    "6.12.110+deb12-amd64",
    facts("0.13.2", [cell("6.12.110+deb12-amd64", "error"), cell("6.12.107+deb12-amd64", "pass")]),
    "likely",
    "only environment errors on 6.12.110+deb12-amd64",
  ],
  ["a neighbour's failure outranks a declared range", "6.9.5", facts("2.2.4", [cell("6.9.3", "fail")], { max: "6.10" }), "unknown", "may not build here either"],
  // arches fold worst-first
  [
    "one arch failing makes it broken",
    "6.9.3",
    facts("2.2.4", [cell("6.9.3", "pass"), cell("6.9.3", "fail", { arch: "aarch64" })]),
    "broken",
    "fails on 6.9.3",
  ],
  ["an arch with an error does not hide a pass", "6.9.3", facts("2.2.4", [cell("6.9.3", "pass"), cell("6.9.3", "error", { arch: "aarch64" })]), "works", "passes"],
];

describe("judgeVersion", () => {
  it.each(TABLE)("%s: %s → %s", (_name, target, f, verdict, reasonHas) => {
    const v = judgeVersion(K(target), f);
    expect(v.verdict).toBe(verdict);
    expect(v.reason).toContain(reasonHas);
  });

  it("carries the evidence: exact result with date, error line and log link", () => {
    const v = judgeVersion(K("6.12.107+deb12-amd64"), facts("0.12.7", [cell("6.12.107+deb12-amd64", "fail", { at: "2026-11-25T08:00:00Z" })]));
    expect(v.errorLine).toBe(STRLCPY);
    expect(v.evidence[0]).toEqual({
      relation: "exact",
      version: "0.12.7",
      kernel: "6.12.107+deb12-amd64",
      status: "fail",
      arches: [{ arch: "x86_64", status: "fail" }],
      errorLine: STRLCPY,
      logUrl: "https://ci.example/6.12.107+deb12-amd64/make.log",
      lastResultAt: new Date("2026-11-25T08:00:00Z"),
    });
  });

  it("names the neighbours it relied on", () => {
    const v = judgeVersion(K("6.12.100+deb12-amd64"), facts("0.13.2", [cell("6.12.95+deb12-amd64", "pass"), cell("6.12.107+deb12-amd64", "pass"), cell("6.12.57+deb12-amd64", "pass")]));
    expect(v.evidence.map((e) => [e.relation, e.kernel])).toEqual([
      ["series-neighbour", "6.12.95+deb12-amd64"],
      ["series-neighbour", "6.12.107+deb12-amd64"],
    ]);
  });

  it("says since which kernel it fails: the start of the current run of failures", () => {
    const history = [
      cell("5.15.167", "fail", { errorLine: "an old, fixed problem" }),
      cell("6.1.112", "pass"),
      cell("6.7.12", "pass"),
      cell("6.8.1", "fail"),
      cell("6.8.5", "error"),
      cell("6.8.9", "fail"),
      cell("6.9.3", "fail"),
    ];
    const v = judgeVersion(K("6.8.9"), facts("0.12.7", history));
    expect(v.verdict).toBe("broken");
    expect(v.since).toEqual({ kernel: "6.8.1", lastPass: "6.7.12" });
    expect(v.reason).toContain("failing since 6.8.1");
    expect(v.evidence.map((e) => e.relation)).toEqual(["exact", "first-fail", "last-pass"]);
  });

  it("reports the failing kernel itself as the start when it never passed before", () => {
    const v = judgeVersion(K("6.12.107+deb12-amd64"), facts("0.12.7", [cell("6.12.107+deb12-amd64", "fail"), cell("6.1.0-56-amd64", "pass")]));
    expect(v.since).toEqual({ kernel: "6.12.107+deb12-amd64", lastPass: "6.1.0-56-amd64" });
    expect(v.reason).not.toContain("failing since");
  });

  it("follows the failing kernel's distro for the history", () => {
    const v = judgeVersion(
      K("6.12.107+deb12-amd64"),
      facts("0.12.7", [cell("6.1.0-56-amd64", "pass"), cell("6.6.1", "fail"), cell("6.12.95+deb12-amd64", "fail"), cell("6.12.107+deb12-amd64", "fail")]),
    );
    expect(v.since).toEqual({ kernel: "6.12.95+deb12-amd64", lastPass: "6.1.0-56-amd64" });
  });

  it("names the oldest other version that works there", () => {
    const target = K("6.12.107+deb12-amd64");
    const broken = facts("0.12.7", [cell("6.12.107+deb12-amd64", "fail")]);
    const others = [
      facts("0.13.2", [cell("6.12.107+deb12-amd64", "pass")]),
      facts("0.13.1", [cell("6.12.107+deb12-amd64", "pass")]),
      facts("0.12.5", [cell("6.12.107+deb12-amd64", "fail")]),
      facts("0.13.0", [cell("6.12.95+deb12-amd64", "pass")]),
    ];
    const v = judgeVersion(target, broken, others);
    expect(v.fixedIn).toEqual({ version: "0.13.1", verdict: "works" });
    expect(v.reason).toContain("0.13.1 works there");
  });

  it("falls back to a version that likely works", () => {
    const v = judgeVersion(K("6.12.107+deb12-amd64"), facts("0.12.7", [cell("6.12.107+deb12-amd64", "fail")]), [
      facts("0.13.2", [cell("6.12.95+deb12-amd64", "pass")]),
    ]);
    expect(v.fixedIn).toEqual({ version: "0.13.2", verdict: "likely" });
    expect(v.reason).toContain("0.13.2 likely works there");
  });

  it("has no fix when no version passes there", () => {
    const v = judgeVersion(K("6.12.107+deb12-amd64"), facts("0.12.7", [cell("6.12.107+deb12-amd64", "fail")]), [
      facts("0.12.5", [cell("6.12.107+deb12-amd64", "fail")]),
    ]);
    expect(v.fixedIn).toBeNull();
  });

  it("names the newest version that accepts a declined kernel", () => {
    const target = K("6.10.1");
    const v = judgeVersion(target, facts("2.2.4", [cell("6.10.1", "skip")], { max: "6.8" }), [
      facts("2.2.6", [cell("6.10.1", "pass")]),
      facts("2.3.2", [], { min: "4.18", max: "6.15" }),
      facts("2.3.0", [cell("6.10.1", "skip")]),
      facts("2.1.11", [], { max: "6.2" }),
    ]);
    expect(v.verdict).toBe("unsupported");
    expect(v.newestAccepting).toEqual({ version: "2.3.2", verdict: "likely" });
    expect(v.declaredRange).toEqual({ min: null, max: "6.8" });
  });

  it("offers a version that accepts the kernel but fails only when nothing better exists", () => {
    const v = judgeVersion(K("6.10.1"), facts("2.2.4", [cell("6.10.1", "skip")]), [facts("2.2.6", [cell("6.10.1", "fail")])]);
    expect(v.newestAccepting).toEqual({ version: "2.2.6", verdict: "broken" });
  });
});

describe("declared ranges: the check asks declaredPosition, the one range test", () => {
  // The two divergences of issue 10: the check's own bound comparison said "outside" for linux-next
  // against a maximum (the matrix marks said "unknown"), and "inside" for 6.12-rc1 against a
  // minimum of 6.12.0 (the marks said "outside", as an rc precedes its release).
  it("linux-next against a maximum is not placed, so the module is not declared unsupported there", () => {
    const v = judgeVersion(K("next-20240610"), facts("2.2.4", [], { max: "6.12" }));
    expect(declaredPosition("next-20240610", { min: null, max: "6.12" })).toBe("unknown");
    expect(v.verdict).toBe("unknown");
  });
  it("an rc before a minimum release is outside the range", () => {
    const v = judgeVersion(K("6.12-rc1"), facts("2.2.4", [], { min: "6.12.0" }));
    expect(declaredPosition("6.12-rc1", { min: "6.12.0", max: null })).toBe("outside");
    expect(v.verdict).toBe("unsupported");
  });

  const kernels = ["4.17.19", "4.18", "4.18.0", "6.1.0-56-amd64", "6.8.5", "6.8.6", "6.8.12", "6.9", "6.10-rc1", "6.12-rc1", "6.12.0", "6.12.107+deb12-amd64", "6.2.0-0.rc2", "next-20240610", "2.6.32.71"];
  const bounds = [null, "4.18", "6.1", "6.8", "6.8.5", "6.11", "6.12", "6.12.0", "2.6.32", "not a version", "next-20240610"];
  const expected: Record<DeclaredPosition, Verdict> = { outside: "unsupported", inside: "likely", unknown: "unknown" };
  it("on every kernel × bound pair, with no results, the verdict follows declaredPosition", () => {
    let pairs = 0;
    for (const k of kernels)
      for (const min of bounds)
        for (const max of bounds) {
          const position = declaredPosition(k, { min, max });
          const v = judgeVersion(K(k), facts("1.0", [], { min: min ?? undefined, max: max ?? undefined }));
          expect([k, min, max, v.verdict]).toEqual([k, min, max, expected[position]]);
          pairs += 1;
        }
    expect(pairs).toBe(kernels.length * bounds.length ** 2);
  });
});

describe("checkOutcome", () => {
  const rows: [Verdict[], CheckOutcome][] = [
    [[], "ok"],
    [["works"], "ok"],
    [["works", "likely"], "ok"],
    [["works", "unknown"], "uncertain"],
    [["broken", "unknown"], "blocked"],
    [["unsupported", "works"], "blocked"],
    [["likely", "broken"], "blocked"],
  ];
  it.each(rows)("%j → %s", (verdicts, outcome) => expect(checkOutcome(verdicts)).toBe(outcome));
  it("covers every outcome", () => expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(CHECK_OUTCOMES)));
});

describe("newestCommonPass", () => {
  const ks = (...names: string[]) => names.map(K);
  const rows: [string, string[][], string | null, string | null, string | null][] = [
    ["no versions", [], "6.1.0-56-amd64", null, null],
    ["one version", [["6.1.0-56-amd64", "6.12.107+deb12-amd64", "6.6.58"]], "6.1.0-56-amd64", "6.12.107+deb12-amd64", "6.12.107+deb12-amd64"],
    [
      "the newest kernel all pass on",
      [
        ["6.1.0-56-amd64", "6.12.107+deb12-amd64", "6.11.2"],
        ["6.1.0-56-amd64", "6.11.2"],
      ],
      "6.1.0-47-amd64",
      "6.11.2",
      "6.1.0-56-amd64",
    ],
    // the target's line is distro and flavour: a cloud kernel is not a kernel of the amd64 line
    ["within the target's line", [["6.1.0-56-amd64", "6.1.0-57-cloud-amd64"]], "6.1.0-47-amd64", "6.1.0-57-cloud-amd64", "6.1.0-56-amd64"],
    ["nothing in common", [["6.1.0-56-amd64"], ["6.12.107+deb12-amd64"]], "6.1.0-56-amd64", null, null],
    ["no target line asked", [["6.8.0-45-generic", "6.9.3"]], null, "6.9.3", null],
  ];
  it.each(rows)("%s", (_name, sets, target, overall, inLine) => {
    const out = newestCommonPass(
      sets.map((s) => ks(...s)),
      target === null ? null : K(target),
    );
    expect(out.overall?.raw ?? null).toBe(overall);
    expect(out.inLine?.raw ?? null).toBe(inLine);
  });
});

describe("vocabulary", () => {
  it("gives every verdict a meaning, a symbol and a phrase", () => {
    for (const v of VERDICTS) {
      expect(VERDICT_MEANING[v].length).toBeGreaterThan(10);
      expect(VERDICT_SYMBOL[v]).toMatch(/^\S$/u);
      expect(VERDICT_PHRASE[v]).toBeTruthy();
    }
    expect(new Set(Object.values(VERDICT_SYMBOL)).size).toBe(VERDICTS.length);
  });

  it("lists the kernels where the folded status is pass", () => {
    const cells = [
      cell("6.1.112", "pass"),
      cell("6.1.112", "error", { arch: "aarch64" }),
      cell("6.6.58", "pass"),
      cell("6.6.58", "fail", { arch: "aarch64" }),
      cell("6.9.3", "skip"),
      cell("6.10.1", "error"),
    ];
    expect(passingKernels(cells).map((k) => k.raw)).toEqual(["6.1.112"]);
    expect(passingKernels(cells).map((k) => k.raw)).toEqual(foldByKernel(cells).filter((s) => s.status === "pass").map((s) => s.kernel.raw));
  });

  it("folds arches per kernel in kernel order", () => {
    const states = foldByKernel([cell("6.9.3", "pass"), cell("6.1.112", "fail"), cell("6.9.3", "skip", { arch: "aarch64" })]);
    expect(states.map((s) => [s.kernel.raw, s.status, s.arches.length])).toEqual([
      ["6.1.112", "fail", 1],
      ["6.9.3", "skip", 2],
    ]);
  });
});
