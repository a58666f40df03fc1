import { describe, expect, it } from "vitest";
import {
  answerFromGrid,
  breakageUnchanged,
  breakagesOfGrid,
  buildLineGrids,
  cellVerdict,
  classifyTransition,
  detectIncidents,
  incidentDays,
  incidentNeighbourhood,
  incidentSuccessors,
  incidentsInGrid,
  incidentsOfGroups,
  observeCell,
  regressionSteps,
  verdictChanges,
  walkKernels,
  type CellState,
  type DetectedIncident,
  type GridQuestion,
  type ResultInput,
  type Transition,
  type Verdict,
} from "../../lib/domain/regressions";
import { kernelLine } from "../../lib/domain/kernel-version";
import { isDevelopmentSnapshot } from "../../lib/domain/module-release";
import { foldCell, type Stage, type Status } from "../../lib/domain/status";

// ---------------------------------------------------------------------------------------------
// Fixture helpers: one result per call; results of the same day share a run unless told otherwise.

let nextId = 1;
const day = (d: string) => new Date(`${d}T12:00:00Z`);
function r(
  version: string,
  kernel: string,
  status: Status,
  on: string,
  opts: { run?: number; arch?: string; error?: string | null; stage?: Stage } = {},
): ResultInput {
  return {
    id: nextId++,
    runId: opts.run ?? Number(on.replaceAll("-", "")),
    version,
    kernel,
    arch: opts.arch ?? "x86_64",
    stage: opts.stage ?? "build",
    status,
    finishedAt: day(on),
    errorLine: status === "fail" ? (opts.error === undefined ? "implicit declaration of function 'strlcpy'" : opts.error) : null,
  };
}

const STRLCPY = "implicit declaration of function 'strlcpy'";
const BD_INODE = "'struct block_device' has no member named 'bd_inode'";

describe("classifyTransition", () => {
  const table: [Verdict | null, Verdict, Transition][] = [
    [null, "fail", "new-failure"],
    [null, "pass", "new-pass"],
    ["pass", "fail", "regression"],
    ["pass", "pass", "still-passing"],
    ["fail", "fail", "still-failing"],
    ["fail", "pass", "fixed"],
  ];
  it.each(table)("%s → %s is %s", (prev, cur, want) => {
    expect(classifyTransition(prev, cur)).toBe(want);
  });
});

describe("kernelLine: previous kernel only within one distro + flavour line", () => {
  it.each([
    ["6.1.0-56-amd64", "debian/amd64"],
    ["6.12.107+deb12-amd64", "debian/amd64"],
    ["6.1.0-56-cloud-amd64", "debian/cloud-amd64"],
    ["6.1.0-56-rt-amd64", "debian/rt-amd64"],
    ["6.8.0-45-generic", "ubuntu/generic"],
    ["6.8.0-1012-aws", "ubuntu/aws"],
    ["6.9.3", "mainline/"],
    ["6.10-rc1", "mainline/"],
    ["next-20240610", "next/"],
    ["6.9.0-custom", "custom/-custom"],
  ])("%s is on line %s", (kernel, line) => {
    expect(kernelLine(kernel)).toBe(line);
  });
});

describe("observeCell", () => {
  it("one run is one observation: a failing stage makes it a failure", () => {
    const c = observeCell([
      { ...r("1.0", "6.8", "pass", "2024-03-01"), id: 900 },
      { ...r("1.0", "6.8", "fail", "2024-03-01", { error: "load failed" }), id: 901 },
    ])!;
    expect(c.state).toBe("fail");
    expect(c.observations).toHaveLength(1);
    expect(c.firstFail?.errorLine).toBe("load failed");
  });
  it("pass → fail → pass on the same combination is flaky", () => {
    const c = observeCell([r("1.0", "6.8", "pass", "2024-03-01"), r("1.0", "6.8", "fail", "2024-03-02"), r("1.0", "6.8", "pass", "2024-03-03")])!;
    expect(c.state).toBe("flaky");
  });
  it("a failure that later goes away on the same combination is flaky", () => {
    expect(observeCell([r("1.0", "6.8", "fail", "2024-03-01"), r("1.0", "6.8", "pass", "2024-03-02")])!.state).toBe("flaky");
  });
  it("pass then a lasting failure is a failure", () => {
    expect(observeCell([r("1.0", "6.8", "pass", "2024-03-01"), r("1.0", "6.8", "fail", "2024-03-02")])!.state).toBe("fail");
  });
  // Issue 10: a build pass with a load failure, then a later run that only builds (and passes). The
  // cell is still failing (foldCell: per stage the newest meaningful result), so regressions must not
  // call it flaky and the watch feed must not say it turned green while the badge says broken.
  it("a later run that only repeats a passing stage does not turn a failing cell green", () => {
    const results = [
      r("1.0", "6.8", "pass", "2024-03-01", { stage: "build" }),
      r("1.0", "6.8", "fail", "2024-03-01", { stage: "load", error: "Unknown symbol in module" }),
      r("1.0", "6.8", "pass", "2024-03-02", { stage: "build" }),
    ];
    const c = observeCell(results)!;
    expect(foldCell(results.map((x) => ({ ...x, logUrl: null })))!.status).toBe("fail");
    expect(c.state).toBe("fail");
    expect(c.observations.map((o) => o.verdict)).toEqual(["fail", "fail"]);
    expect(verdictChanges(c).map((o) => o.verdict)).toEqual(["fail"]);
  });
  it("a later run that passes the failing stage does turn it green (and the earlier failure was flaky)", () => {
    const results = [
      r("1.0", "6.8", "pass", "2024-03-01", { stage: "build" }),
      r("1.0", "6.8", "fail", "2024-03-01", { stage: "load" }),
      r("1.0", "6.8", "pass", "2024-03-02", { stage: "build" }),
      r("1.0", "6.8", "pass", "2024-03-02", { stage: "load" }),
    ];
    const c = observeCell(results)!;
    expect(verdictChanges(c).map((o) => o.verdict)).toEqual(["fail", "pass"]);
    expect(c.state).toBe("flaky");
  });
  it("errors and skips are no verdict", () => {
    expect(observeCell([r("1.0", "6.8", "error", "2024-03-01"), r("1.0", "6.8", "skip", "2024-03-02")])).toBeNull();
    expect(observeCell([r("1.0", "6.8", "pass", "2024-03-01"), r("1.0", "6.8", "error", "2024-03-02")])!.state).toBe("pass");
  });
});

describe("walkKernels steps over kernels without a verdict", () => {
  it("names each step", () => {
    const [grid] = buildLineGrids([
      r("1.0", "6.6", "pass", "2024-01-01"),
      r("1.0", "6.7", "error", "2024-01-01"),
      r("1.0", "6.8", "fail", "2024-01-01"),
      r("1.0", "6.9", "fail", "2024-01-01"),
      r("1.0", "6.10", "pass", "2024-01-01"),
    ]);
    expect(walkKernels(grid, "1.0").map((s) => [s.kernel, s.previousKernel, s.transition])).toEqual([
      ["6.6", null, "new-pass"],
      ["6.8", "6.6", "regression"],
      ["6.9", "6.8", "still-failing"],
      ["6.10", "6.9", "fixed"],
    ]);
  });
});

describe("cellVerdict: only pass and fail cells are verdicts", () => {
  const table: [CellState | null, Verdict | null][] = [
    ["pass", "pass"],
    ["fail", "fail"],
    ["flaky", null],
    [null, null],
  ];
  it.each(table)("%s → %s", (state, want) => {
    expect(cellVerdict(state)).toBe(want);
  });
});

describe("regressionSteps: the pass → fail steps the ingest keeps on their failing cells", () => {
  it("one per step of each version's walk, over kernels without a verdict, never from a flaky cell", () => {
    const [grid] = buildLineGrids([
      r("1.0", "6.6", "pass", "2024-01-01"),
      r("1.0", "6.7", "skip", "2024-01-01"),
      r("1.0", "6.8", "fail", "2024-01-01"),
      r("1.0", "6.9", "pass", "2024-01-01"),
      r("1.0", "6.10", "fail", "2024-01-01"),
      r("2.0", "6.6", "pass", "2024-01-01"),
      r("2.0", "6.7", "fail", "2024-01-01"),
      r("2.0", "6.7", "pass", "2024-01-02"),
      r("2.0", "6.8", "fail", "2024-01-01"),
    ]);
    expect(regressionSteps(grid).map((s) => [s.version, s.lastGood, s.firstBad, s.cell.kernel])).toEqual([
      ["1.0", "6.6", "6.8", "6.8"],
      ["1.0", "6.9", "6.10", "6.10"],
      ["2.0", "6.6", "6.8", "6.8"],
    ]);
  });
});

describe("incidentsInGrid asks a few questions per incident, not for the grid", () => {
  // 6 versions × 8 kernels; 1.0-1.2 break on 6.12 and pass again on 6.14 (the kernel side), 2.0 fixes it.
  const kernels = ["6.6", "6.7", "6.8", "6.9", "6.12", "6.13", "6.14", "6.15"];
  const results = ["1.0", "1.1", "1.2", "2.0", "2.1", "3.0-rc1"].flatMap((v, vi) =>
    kernels.map((k, ki) => r(v, k, vi < 3 && ki >= 4 && ki < 6 ? "fail" : "pass", "2024-02-01")),
  );
  it("as the table says, and finds what detectIncidents finds", () => {
    const [grid] = buildLineGrids(results);
    const asked: string[] = [];
    const answer = answerFromGrid(grid);
    const index = new Map(grid.kernels.map((k, i) => [k, i]));
    const run = incidentsInGrid({
      arch: grid.arch,
      line: grid.line,
      versions: grid.versions,
      steps: regressionSteps(grid),
      compareKernels: (a, b) => index.get(a)! - index.get(b)!,
      kernelReleasedAt: () => null,
      releasedAt: new Map(),
    });
    const show = (q: GridQuestion) =>
      q.kind === "at"
        ? `at ${q.kernel}: ${q.versions.join(" ")}`
        : `first ${q.verdict ?? "verdict"} ${q.inclusive ? "from" : "after"} ${q.after}${q.before ? ` before ${q.before}` : ""}: ${q.versions.join(" ")}`;
    let next = run.next();
    while (!next.done) {
      asked.push(show(next.value));
      next = run.next(answer(next.value));
    }
    expect(asked).toEqual([
      "first pass after 6.12: 1.0 1.1 1.2",
      "at 6.14: 1.0 1.1 1.2",
      "first verdict from 6.12 before 6.14: 1.0 1.1 1.2 2.0 2.1 3.0-rc1",
    ]);
    expect(next.value).toEqual(detectIncidents({ results }).incidents);
    expect(next.value.map((i) => [i.lastGoodKernel, i.firstBadKernel, i.affectedVersions, i.fixedIn, i.fixedInKernel])).toEqual([
      ["6.9", "6.12", ["1.0", "1.1", "1.2"], "2.0", "6.14"],
    ]);
  });
});

describe("incidentsOfGroups: a grid's breakages asked side by side", () => {
  // Three breakages on one line: 1.x fail from 6.8 (2.0 fixes it), every version fails on 6.12 and
  // 6.13 (the kernel side undoes both breakages on 6.14), and 3.0 fails alone on 6.15.
  const kernels = ["6.6", "6.7", "6.8", "6.9", "6.12", "6.13", "6.14", "6.15", "6.16"];
  const versions = ["1.0", "1.1", "2.0", "3.0"];
  const fails = (v: string, k: string) => (v.startsWith("1.") && ["6.8", "6.9"].includes(k)) || ["6.12", "6.13"].includes(k) || (v === "3.0" && k === "6.15");
  const results = versions.flatMap((v) => kernels.map((k) => r(v, k, fails(v, k) ? "fail" : "pass", "2024-02-01")));
  it("find incidentsInGrid's incidents, in its order, in as many rounds as the longest breakage asks questions", () => {
    const [grid] = buildLineGrids(results);
    const answer = answerFromGrid(grid);
    const index = new Map(grid.kernels.map((k, i) => [k, i]));
    const src = {
      arch: grid.arch,
      line: grid.line,
      versions: grid.versions,
      steps: regressionSteps(grid),
      compareKernels: (a: string, b: string) => index.get(a)! - index.get(b)!,
      kernelReleasedAt: () => null,
      releasedAt: new Map<string, Date | null>(),
    };
    let sequential = 0;
    const one = incidentsInGrid(src);
    let step = one.next();
    while (!step.done) {
      sequential++;
      step = one.next(answer(step.value));
    }
    const runs = incidentsOfGroups(src).map((run) => ({ run, next: run.next() }));
    expect(runs).toHaveLength(3);
    let rounds = 0;
    while (runs.some((x) => !x.next.done)) {
      rounds++;
      for (const x of runs) if (!x.next.done) x.next = x.run.next(answer(x.next.value));
    }
    const incidents = runs.map((x) => x.next.value as DetectedIncident);
    expect(incidents).toEqual(step.value);
    const byKey = (xs: DetectedIncident[]) => [...xs].sort((a, b) => (a.key < b.key ? -1 : 1));
    expect(byKey(incidents)).toEqual(byKey(detectIncidents({ results }).incidents));
    expect(incidents.map((i) => [i.firstBadKernel, i.affectedVersions, i.fixedIn, i.fixedInKernel])).toEqual([
      ["6.8", ["1.0", "1.1"], "2.0", "6.14"],
      ["6.12", ["2.0", "3.0"], null, "6.14"],
      ["6.15", ["3.0"], null, "6.16"],
    ]);
    expect({ sequential, rounds }).toEqual({ sequential: 10, rounds: 4 });
  });
});

describe("detectIncidents on histories shaped like real ones", () => {
  it("breaks on an rc, fixed two releases later", () => {
    const { incidents } = detectIncidents({
      results: [
        r("0.12.5", "6.7", "pass", "2024-01-08"),
        r("0.12.5", "6.8-rc1", "fail", "2024-01-22"),
        r("0.12.5", "6.8-rc5", "fail", "2024-02-19"),
        r("0.12.5", "6.8", "fail", "2024-03-11"),
        r("0.12.6", "6.7", "pass", "2024-02-19"),
        r("0.12.6", "6.8-rc5", "fail", "2024-02-19"),
        r("0.12.6", "6.8", "fail", "2024-03-11"),
        r("0.12.7", "6.8", "pass", "2024-04-02"),
        r("0.12.7", "6.9", "pass", "2024-05-13"),
      ],
      versions: [
        { version: "0.12.5", releasedAt: day("2023-11-01") },
        { version: "0.12.6", releasedAt: day("2024-02-10") },
        { version: "0.12.7", releasedAt: day("2024-04-01") },
      ],
    });
    expect(incidents).toHaveLength(1);
    const [i] = incidents;
    expect(i).toMatchObject({
      arch: "x86_64",
      line: "mainline/",
      lastGoodKernel: "6.7",
      firstBadKernel: "6.8-rc1",
      series: "6.8",
      affectedVersions: ["0.12.5", "0.12.6"],
      status: "fixed",
      fixedIn: "0.12.7",
      fixedInKernel: null,
      fixedAtBasis: "release-date",
      errorLine: STRLCPY,
      signature: { symbol: "strlcpy", kind: "function" },
    });
    expect(i.openedAt).toEqual(day("2024-01-22"));
    expect(i.fixedAt).toEqual(day("2024-04-01"));
    expect(i.timeToFixDays).toBeCloseTo(70, 5);
  });

  it("fixed on master early, released months later: users waited for the release", () => {
    const { incidents } = detectIncidents({
      results: [
        r("2.2.2", "6.7.12", "pass", "2024-01-10"),
        r("2.2.2", "6.8.1", "fail", "2024-03-20", { error: BD_INODE }),
        r("2.2.2+git20240325", "6.8.1", "pass", "2024-03-26"),
        r("2.2.3", "6.8.1", "pass", "2024-06-02"),
      ],
      versions: [
        { version: "2.2.2", releasedAt: day("2023-12-01") },
        { version: "2.2.2+git20240325", releasedAt: null },
        { version: "2.2.3", releasedAt: day("2024-06-01") },
      ],
    });
    expect(incidents).toHaveLength(1);
    const [i] = incidents;
    expect(i.fixedIn).toBe("2.2.3");
    expect(i.fixedOnSnapshot).toEqual({ version: "2.2.2+git20240325", at: day("2024-03-26") });
    expect(i.fixedAt).toEqual(day("2024-06-01"));
    expect(i.signature).toEqual({ symbol: "struct block_device::bd_inode", kind: "member" });
    expect(Math.round(i.timeToFixDays!)).toBe(73);
  });

  it("breaks only on one distro kernel: the incident is on that line alone, and the distro's next ABI undoes it", () => {
    const { incidents } = detectIncidents({
      results: [
        r("1.0", "6.8.9", "pass", "2024-08-01"),
        r("1.0", "6.8.12", "pass", "2024-09-01"),
        r("1.0", "6.8.0-40-generic", "pass", "2024-08-01"),
        r("1.0", "6.8.0-45-generic", "fail", "2024-09-01", { error: "too few arguments to function 'blk_alloc_disk'" }),
        r("1.0", "6.8.0-47-generic", "pass", "2024-10-01"),
        // A Debian kernel is never "previous" for an Ubuntu one, and vice versa.
        r("1.0", "6.12.107+deb12-amd64", "fail", "2024-09-01"),
      ],
    });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      line: "ubuntu/generic",
      lastGoodKernel: "6.8.0-40-generic",
      firstBadKernel: "6.8.0-45-generic",
      affectedVersions: ["1.0"],
      status: "fixed",
      fixedIn: null,
      fixedInKernel: "6.8.0-47-generic",
      fixedAtBasis: "kernel",
      signature: { symbol: "blk_alloc_disk", kind: "function" },
    });
    expect(incidents[0].fixedAt).toEqual(day("2024-10-01"));
  });

  it("a failure that comes and goes on the same combination is flaky, not an incident", () => {
    const { incidents, flaky } = detectIncidents({
      results: [
        r("1.0", "6.7", "pass", "2024-03-01"),
        r("1.0", "6.8", "pass", "2024-03-01"),
        r("1.0", "6.8", "fail", "2024-03-02", { error: "modpost: 'foo' undefined!" }),
        r("1.0", "6.8", "pass", "2024-03-03"),
      ],
    });
    expect(incidents).toEqual([]);
    expect(flaky).toEqual([
      { version: "1.0", kernel: "6.8", arch: "x86_64", line: "mainline/", passes: 2, fails: 1, lastVerdict: "pass", lastAt: day("2024-03-03") },
    ]);
  });

  it("error and skip never open or close an incident", () => {
    const { incidents } = detectIncidents({
      results: [
        r("1.0", "6.7", "pass", "2024-01-01"),
        r("1.0", "6.8", "error", "2024-01-01"),
        r("1.0", "6.9", "fail", "2024-01-01"),
        r("1.0", "6.10", "skip", "2024-01-01"),
        r("1.1", "6.9", "skip", "2024-02-01"),
        r("1.1", "6.10", "error", "2024-02-01"),
      ],
    });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ lastGoodKernel: "6.7", firstBadKernel: "6.9", status: "open", fixedIn: null, fixedAt: null });
    expect(incidentDays(incidents[0], day("2024-01-11"))).toBeCloseTo(10, 5);
  });

  it("no earlier pass means no regression (a version that never built is a new failure, not an incident)", () => {
    const { incidents } = detectIncidents({ results: [r("1.0", "6.8", "fail", "2024-01-01"), r("1.0", "6.9", "fail", "2024-01-01")] });
    expect(incidents).toEqual([]);
  });

  it("the Debian 12 demo shape: one run, no release dates, so the fix is known but not how long it took", () => {
    const kernels6_1 = ["6.1.0-47-amd64", "6.1.0-56-amd64"];
    const kernels6_12 = ["6.12.95+deb12-amd64", "6.12.107+deb12-amd64"];
    const results = [
      ...kernels6_1.map((k) => r("0.12.7", k, "pass", "2026-11-26", { run: 1 })),
      ...kernels6_12.map((k) => r("0.12.7", k, "fail", "2026-11-26", { run: 1 })),
      ...[...kernels6_1, ...kernels6_12].map((k) => r("0.13.2", k, "pass", "2026-11-26", { run: 1 })),
      // cloud kernels are their own line; here the module was only built on 6.12 there
      r("0.12.7", "6.12.107+deb12-cloud-amd64", "fail", "2026-11-26", { run: 1 }),
    ];
    const { incidents } = detectIncidents({ results, versions: [{ version: "0.12.7", releasedAt: null }, { version: "0.13.2", releasedAt: null }] });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      line: "debian/amd64",
      lastGoodKernel: "6.1.0-56-amd64",
      firstBadKernel: "6.12.95+deb12-amd64",
      series: "6.12",
      affectedVersions: ["0.12.7"],
      status: "fixed",
      fixedIn: "0.13.2",
      fixedAtBasis: "first-pass-observed",
      timeToFixDays: null,
    });
  });

  it("versions whose windows overlap are one incident, at the earliest known bad kernel", () => {
    const { incidents } = detectIncidents({
      results: [
        r("1.0", "6.7", "pass", "2024-01-01"),
        r("1.0", "6.8-rc1", "fail", "2024-01-15"),
        r("1.1", "6.7", "pass", "2024-02-01"),
        r("1.1", "6.8-rc3", "fail", "2024-02-01"),
      ],
    });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ lastGoodKernel: "6.7", firstBadKernel: "6.8-rc1", affectedVersions: ["1.0", "1.1"] });
    expect(incidents[0].openedAt).toEqual(day("2024-01-15"));
  });

  it("two breakages on one line stay apart, and an older break does not swallow a newer one", () => {
    const results: ResultInput[] = [];
    for (const k of ["6.7", "6.8", "6.9", "6.10", "6.11"]) {
      const old = k === "6.7";
      results.push(r("1.0", k, old ? "pass" : "fail", "2024-06-01", { error: STRLCPY }));
      results.push(r("1.1", k, ["6.10", "6.11"].includes(k) ? "fail" : "pass", "2024-07-01", { error: BD_INODE }));
      results.push(r("1.2", k, "pass", "2024-08-01"));
    }
    // built only after the second break, with no error line: it cannot be blamed on the first one
    results.push(r("1.0.1", "6.11", "fail", "2024-07-01", { error: null }));
    const { incidents } = detectIncidents({ results });
    expect(incidents.map((i) => [i.firstBadKernel, i.affectedVersions, i.fixedIn, i.signature?.symbol])).toEqual([
      ["6.8", ["1.0"], "1.1", "strlcpy"],
      ["6.10", ["1.0.1", "1.1"], "1.2", "struct block_device::bd_inode"],
    ]);
  });

  it("an older version tested only after the break, with the same error, is affected too", () => {
    const { incidents } = detectIncidents({
      results: [
        r("0.9", "6.9", "fail", "2024-06-01"),
        r("1.0", "6.7", "pass", "2024-06-01"),
        r("1.0", "6.8", "fail", "2024-06-01"),
        r("1.0", "6.9", "fail", "2024-06-01"),
        r("1.1", "6.9", "fail", "2024-06-01", { error: "'foo' undeclared (first use in this function)" }),
      ],
    });
    expect(incidents).toHaveLength(1);
    // 1.1 fails with another error: a different problem, not evidence for this incident
    expect(incidents[0].affectedVersions).toEqual(["0.9", "1.0"]);
  });

  it("arches are detected separately", () => {
    const { incidents } = detectIncidents({
      results: [
        r("1.0", "6.7", "pass", "2024-01-01", { arch: "aarch64" }),
        r("1.0", "6.8", "fail", "2024-01-01", { arch: "aarch64" }),
        r("1.0", "6.7", "pass", "2024-01-01"),
        r("1.0", "6.8", "pass", "2024-01-01"),
      ],
    });
    expect(incidents.map((i) => i.key)).toEqual(["aarch64|mainline/|6.8"]);
  });

  it("a fix released before the break was seen counts as no wait at all", () => {
    const { incidents } = detectIncidents({
      results: [r("1.0", "6.7", "pass", "2024-03-01"), r("1.0", "6.8", "fail", "2024-03-20"), r("1.1", "6.8", "pass", "2024-03-20")],
      versions: [{ version: "1.1", releasedAt: day("2024-02-01") }],
    });
    expect(incidents[0].fixedAt).toEqual(day("2024-03-20"));
    expect(incidents[0].timeToFixDays).toBe(0);
  });

  it("is independent of input order", () => {
    const results = [
      r("1.0", "6.7", "pass", "2024-01-01"),
      r("1.0", "6.8", "fail", "2024-01-02"),
      r("1.1", "6.8", "pass", "2024-01-03"),
      r("1.0", "6.8.0-45-generic", "fail", "2024-01-02"),
      r("1.0", "6.8.0-40-generic", "pass", "2024-01-01"),
    ];
    expect(detectIncidents({ results: [...results].reverse() })).toEqual(detectIncidents({ results }));
  });
});

describe("incidentNeighbourhood", () => {
  it("shows the kernels around the break for the affected and the fixing versions", () => {
    const results = ["6.5", "6.6", "6.7", "6.8", "6.9", "6.10", "6.11"].flatMap((k) => [
      r("1.0", k, ["6.5", "6.6", "6.7"].includes(k) ? "pass" : "fail", "2024-01-01"),
      r("1.1", k, "pass", "2024-02-01"),
    ]);
    const [grid] = buildLineGrids(results);
    const [incident] = detectIncidents({ results }).incidents;
    const n = incidentNeighbourhood(grid, incident, 1);
    expect(n.kernels).toEqual(["6.6", "6.7", "6.8", "6.9"]);
    expect(n.rows.map((row) => [row.version, row.role, row.cells.map((c) => c.state)])).toEqual([
      ["1.0", "affected", ["pass", "pass", "fail", "fail"]],
      ["1.1", "fix", ["pass", "pass", "pass", "pass"]],
    ]);
    expect(n.rows[0].cells[2].transition).toBe("regression");
  });
});

describe("isDevelopmentSnapshot", () => {
  it.each([
    ["0.12.7", false],
    ["2.3.0-rc1", false],
    ["5.4-1", false],
    ["1.6.1+git20230101", true],
    ["0.12.7+20240115", true],
    ["2.2.99-123-g1a2b3c4d", true],
    ["2.2.99", true],
    ["1.2~git2024", true],
    ["1.0-master", true],
    ["1.2.990", false],
  ])("%s → %s", (v, want) => {
    expect(isDevelopmentSnapshot(v)).toBe(want);
  });
});

describe("incidentSuccessors: a stored incident lives on when the same break is detected with a narrower gap", () => {
  const stored = (id: number, lastGood: string, firstBad: string, opts: { arch?: string; line?: string } = {}) => ({
    id,
    key: `${opts.arch ?? "x86_64"}|${opts.line ?? "mainline"}|${firstBad}`,
    arch: opts.arch ?? "x86_64",
    line: opts.line ?? "mainline",
    lastGoodKernel: lastGood,
    firstBadKernel: firstBad,
  });
  const detected = (lastGood: string, firstBad: string, opts: { arch?: string; line?: string } = {}) => {
    const { key, arch, line, lastGoodKernel, firstBadKernel } = stored(0, lastGood, firstBad, opts);
    return { key, arch, line, lastGoodKernel, firstBadKernel };
  };

  it.each([
    ["an earlier bad kernel turns up inside the gap", [stored(1, "6.7", "6.8")], [detected("6.7", "6.8-rc2")], { "x86_64|mainline|6.8-rc2": 1 }],
    ["a pass and a fail turn up inside the gap", [stored(1, "6.6", "6.9")], [detected("6.7", "6.8")], { "x86_64|mainline|6.8": 1 }],
    ["the key did not change: nothing to inherit", [stored(1, "6.7", "6.8")], [detected("6.7", "6.8")], {}],
    ["a break on another arch is another incident", [stored(1, "6.7", "6.8")], [detected("6.7", "6.8-rc2", { arch: "aarch64" })], {}],
    ["a break on another kernel line is another incident", [stored(1, "6.7", "6.8")], [detected("6.7", "6.8-rc2", { line: "debian/amd64" })], {}],
    ["a later, separate break does not take over an old one", [stored(1, "6.1", "6.2")], [detected("6.7", "6.8")], {}],
    ["an earlier, separate break does not take over a later one", [stored(1, "6.7", "6.8")], [detected("6.1", "6.2")], {}],
    ["split in two: the oldest new break keeps the row", [stored(1, "6.1", "6.9")], [detected("6.5", "6.6"), detected("6.2", "6.3")], { "x86_64|mainline|6.3": 1 }],
    [
      "two stored breaks narrowed at once keep their own rows",
      [stored(1, "6.1", "6.4"), stored(2, "6.6", "6.9")],
      [detected("6.7", "6.8"), detected("6.2", "6.3")],
      { "x86_64|mainline|6.3": 1, "x86_64|mainline|6.8": 2 },
    ],
  ])("%s", (_, before, now, expected) => {
    expect(Object.fromEntries(incidentSuccessors(before, now))).toEqual(expected);
  });
});

describe("breakageUnchanged: which stored incidents a batch cannot reach", () => {
  // kernels by sort key: "10" < "20" < … ; the breakage's window is 20 → 30
  const breakage = { lastGoodKey: "20", firstBadKey: "30" };
  const stored = { lastGoodKey: "20", fixedInKernelKey: "40" };
  it.each([
    ["changes after its fix, steps from after its first bad kernel", stored, { touched: "50", stepsFrom: "45" }, true],
    ["a step may start at its first bad kernel", stored, { touched: "50", stepsFrom: "30" }, true],
    ["a changed cell at its fix kernel", stored, { touched: "40", stepsFrom: "40" }, false],
    ["a changed cell before its fix", stored, { touched: "35", stepsFrom: "35" }, false],
    ["a step from inside its window may join it", stored, { touched: "50", stepsFrom: "25" }, false],
    ["open: its questions reach every later kernel", { lastGoodKey: "20", fixedInKernelKey: null }, { touched: "90", stepsFrom: "90" }, false],
    ["no incident stored under its key", undefined, { touched: "90", stepsFrom: "90" }, false],
    ["stored with another last good kernel", { lastGoodKey: "10", fixedInKernelKey: "40" }, { touched: "90", stepsFrom: "90" }, false],
  ] as const)("%s → %s", (_, s, batch, want) => {
    expect(breakageUnchanged(breakage, s, batch)).toBe(want);
  });

  it("breakagesOfGrid gives each breakage's window and key before any question", () => {
    const cell = (version: string, kernel: string) => ({ version, kernel, arch: "x86_64", state: "fail" as CellState, firstFail: null, firstPass: null });
    const order = ["6.1.0-1-amd64", "6.1.0-2-amd64", "6.1.0-3-amd64", "6.1.0-4-amd64", "6.1.0-5-amd64"];
    const got = breakagesOfGrid({
      arch: "x86_64",
      line: "debian/amd64",
      versions: ["1.0", "1.1"],
      steps: [
        { version: "1.0", lastGood: order[0], firstBad: order[2], cell: cell("1.0", order[2]) },
        { version: "1.1", lastGood: order[1], firstBad: order[3], cell: cell("1.1", order[3]) },
        { version: "1.0", lastGood: order[3], firstBad: order[4], cell: cell("1.0", order[4]) },
      ],
      compareKernels: (a, b) => order.indexOf(a) - order.indexOf(b),
      kernelReleasedAt: () => null,
      releasedAt: new Map(),
    });
    // the first two steps overlap: one breakage, its window narrowed to 2 → 3
    expect(got.map(({ key, lastGood, firstBad }) => ({ key, lastGood, firstBad }))).toEqual([
      { key: `x86_64|debian/amd64|${order[2]}`, lastGood: order[1], firstBad: order[2] },
      { key: `x86_64|debian/amd64|${order[4]}`, lastGood: order[3], firstBad: order[4] },
    ]);
  });
});
