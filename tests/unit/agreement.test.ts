import { describe, expect, it } from "vitest";
import { compareKernels, isSeries, kernelLine, parseKernelVersion, type KernelVersion } from "../../lib/domain/kernel-version";
import { foldKernelCells, groupBy } from "../../lib/domain/matrix";
import { detectIncidents, detectIncidentsInCells, observeCell, verdictChanges, type CellHistory, type ResultInput } from "../../lib/domain/regressions";
import { foldCell, STAGES, STATUSES, type Stage, type Status } from "../../lib/domain/status";
import { cellsBySeries, foldByKernel, judgeVersion, newestCommonPass, passingKernels, type KernelCell } from "../../lib/domain/verdict";
import { matrixQuerySchema } from "../../lib/schemas/query";
import { regressionsQuerySchema, watchQuerySchema } from "../../lib/schemas/regressions";
import { mulberry32 } from "../../lib/synthetic/generate";

/**
 * Agreement tests (issue 10), in the style of the sort-key-equals-comparator test: one rule
 * function, several callers, and generated inputs on which every caller must give its answer.
 */

const rnd = mulberry32(20261129);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
const ARCHES = ["x86_64", "aarch64", "riscv64"];
const KERNELS = ["6.1.0-47-amd64", "6.1.0-47-cloud-amd64", "6.1.0-56-amd64", "6.1.0-56-rt-amd64", "6.1.0-57-amd64", "6.1.112", "6.1.0-60-amd64", "6.1.0-61-cloud-amd64"];

describe("arch folding: foldByKernel, passingKernels (the check) and foldKernelCells (matrix, kernel page) agree", () => {
  it("on 300 generated versions", () => {
    for (let n = 0; n < 300; n++) {
      const cells: KernelCell[] = [];
      for (const kernel of KERNELS)
        for (const arch of ARCHES)
          if (rnd() < 0.5) {
            const status = pick(STATUSES);
            cells.push({ kernel: parseKernelVersion(kernel), arch, status, errorLine: status === "pass" ? null : `${status} ${arch}`, logUrl: null, lastResultAt: new Date(0) });
          }
      const folded = new Map([...groupBy(cells, (c) => c.kernel.raw)].map(([k, g]) => [k, foldKernelCells(g)!]));
      const states = foldByKernel(cells);
      expect(states.map((s) => [s.kernel.raw, s.status, s.arches, s.errorLine])).toEqual(
        states.map((s) => {
          const f = folded.get(s.kernel.raw)!;
          return [s.kernel.raw, f.status, f.arches, f.status === "pass" ? null : f.decisive.errorLine];
        }),
      );
      expect(states).toHaveLength(folded.size);
      expect(passingKernels(cells).map((k) => k.raw).sort()).toEqual([...folded].filter(([, f]) => f.status === "pass").map(([k]) => k).sort());
    }
  });
});

function randomResults(n: number, opts: { runs: number; stages: readonly Stage[] }): ResultInput[] {
  const out: ResultInput[] = [];
  for (let i = 0; i < n; i++) {
    const status = pick(STATUSES);
    out.push({
      id: i + 1,
      runId: 1 + Math.floor(rnd() * opts.runs),
      version: "1.0",
      kernel: "6.8.0-45-generic",
      arch: "x86_64",
      stage: pick(opts.stages),
      status,
      finishedAt: new Date(Date.UTC(2026, 0, 1 + Math.floor(rnd() * 20))),
      errorLine: status === "fail" ? `fail ${i}` : null,
    });
  }
  return out;
}

describe("cell state: the regressions' and watch feed's observations end where foldCell (matrix, check, badge) is", () => {
  it("on 1,000 generated cells, whenever the cell is pass or fail, its last observation says the same", () => {
    let compared = 0;
    for (let n = 0; n < 1000; n++) {
      const results = randomResults(1 + Math.floor(rnd() * 8), { runs: 4, stages: STAGES });
      const cell = foldCell(results.map((r) => ({ ...r, logUrl: null })))!;
      const observed = observeCell(results);
      if (cell.status === "pass" || cell.status === "fail") {
        expect(observed, JSON.stringify(results)).not.toBeNull();
        expect(observed!.observations.at(-1)!.verdict).toBe(cell.status);
        expect(verdictChanges(observed!).at(-1)!.verdict).toBe(cell.status);
        if (observed!.state !== "flaky") expect(observed!.state).toBe(cell.status);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(500);
  });
});

describe("kernel line: the check's 'failing since' is the first bad kernel of the line's incident", () => {
  it("on 500 generated versions over two Debian lines, one result per kernel", () => {
    let compared = 0;
    for (let n = 0; n < 500; n++) {
      const results: ResultInput[] = KERNELS.filter(() => rnd() < 0.85).map((kernel, i) => {
        const status: Status = rnd() < 0.45 ? "pass" : rnd() < 0.8 ? "fail" : pick(["error", "skip"] as const);
        return { id: i + 1, runId: 1, version: "1.0", kernel, arch: "x86_64", stage: "build", status, finishedAt: new Date(Date.UTC(2026, 0, 1)), errorLine: status === "fail" ? "e" : null };
      });
      const { incidents } = detectIncidents({ results });
      const cells: KernelCell[] = results.map((r) => ({ kernel: parseKernelVersion(r.kernel), arch: r.arch, status: r.status, errorLine: r.errorLine, logUrl: null, lastResultAt: r.finishedAt }));
      for (const r of results.filter((x) => x.status === "fail")) {
        const v = judgeVersion(parseKernelVersion(r.kernel), { version: "1.0", declaredKernelMin: null, declaredKernelMax: null, cells });
        expect(v.verdict).toBe("broken");
        // The incident of r's line whose first bad kernel is the start of r's run of failures.
        const open = incidents.find((i) => i.line === kernelLine(r.kernel) && i.firstBadKernel === v.since!.kernel);
        if (v.since!.lastPass === null) expect(open).toBeUndefined();
        else {
          expect(open, `${r.kernel}: ${JSON.stringify(v.since)} among ${JSON.stringify(incidents.map((i) => [i.lastGoodKernel, i.firstBadKernel]))}`).toBeDefined();
          expect(open!.lastGoodKernel).toBe(v.since!.lastPass);
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(200);
  });
});

describe("detection from cell summaries (what the ingest keeps per cell) equals detection from results", () => {
  it("on 300 generated module histories: several versions, lines, arches, runs, stages and dates", () => {
    const versions = ["0.9", "1.0", "1.1", "2.0", "2.1-rc1", "2.1"];
    let incidents = 0;
    for (let n = 0; n < 300; n++) {
      const results: ResultInput[] = [];
      const breakAt = Math.floor(rnd() * KERNELS.length);
      const fixedFrom = Math.floor(rnd() * versions.length);
      for (let i = 0, count = 20 + Math.floor(rnd() * 120); i < count; i++) {
        const v = Math.floor(rnd() * versions.length);
        const k = Math.floor(rnd() * KERNELS.length);
        const broken = k >= breakAt && v < fixedFrom;
        const x = rnd();
        const status: Status = x < 0.08 ? pick(["error", "skip"] as const) : x < 0.16 ? (broken ? "pass" : "fail") : broken ? "fail" : "pass";
        results.push({
          id: i + 1,
          runId: 1 + Math.floor(rnd() * 6),
          version: versions[v],
          kernel: KERNELS[k],
          arch: pick(ARCHES.slice(0, 2)),
          stage: pick(STAGES),
          status,
          finishedAt: new Date(Date.UTC(2026, 0, 1 + Math.floor(rnd() * 30))),
          errorLine: status === "fail" ? pick(["implicit declaration of function 'strlcpy'", "'struct block_device' has no member named 'bd_inode'"]) : null,
        });
      }
      const kernels = KERNELS.map((version) => ({ version, releasedAt: rnd() < 0.5 ? new Date(Date.UTC(2025, 0, 1 + Math.floor(rnd() * 300))) : null }));
      const dated = versions.map((version) => ({ version, releasedAt: rnd() < 0.5 ? new Date(Date.UTC(2025, 6, 1 + Math.floor(rnd() * 300))) : null }));
      const cells = new Map<string, ResultInput[]>();
      for (const r of results) cells.set(`${r.arch} ${r.version} ${r.kernel}`, [...(cells.get(`${r.arch} ${r.version} ${r.kernel}`) ?? []), r]);
      // Only what Cell keeps: no list of observations.
      const summaries = [...cells.values()].flatMap((rs) => {
        const c = observeCell(rs);
        return c ? [{ version: c.version, kernel: c.kernel, arch: c.arch, state: c.state, firstFail: c.firstFail, firstPass: c.firstPass } satisfies Omit<CellHistory, "observations">] : [];
      });
      const expected = detectIncidents({ results, versions: dated, kernels }).incidents;
      expect(detectIncidentsInCells({ cells: summaries, versions: dated, kernels })).toEqual(expected);
      incidents += expected.length;
    }
    expect(incidents).toBeGreaterThan(150);
  });
});

describe("series: the schemas accept exactly what isSeries accepts", () => {
  it("on generated strings", () => {
    const parts = ["0", "1", "2", "6", "9", "10", "12", "32", "99", "100", "123", "06", "999", "1000", ""];
    const candidates = new Set<string>(["next", "next-20240610", "6.1.0-56-amd64", "2.6.32", "6.12.5", " 6.1"]);
    for (let n = 0; n < 400; n++) candidates.add([pick(parts), pick(parts), ...(rnd() < 0.3 ? [pick(parts)] : [])].join("."));
    for (const s of candidates) {
      const want = isSeries(s);
      expect([s, matrixQuerySchema.safeParse({ from: s }).success]).toEqual([s, want]);
      expect([s, regressionsQuerySchema.safeParse({ series: s }).success]).toEqual([s, want || s === ""]);
      if (want) expect(watchQuerySchema.parse({ module: "zfs", kernel: s }).kernel).toBe(s);
    }
  });
});

describe("series by series: 'failing since' and the newest safe kernel walk newest series first, as a walk over the whole history would", () => {
  // Several series and lines, so that runs of failures and common passes cross series boundaries.
  const MANY = [
    "5.10.0-30-amd64", "5.10.0-32-amd64", "5.10.0-32-cloud-amd64", "6.1.0-47-amd64", "6.1.0-56-amd64", "6.1.0-56-rt-amd64", "6.1.112",
    "6.6.58", "6.9.3", "6.12.57+deb13-amd64", "6.12.107+deb13-amd64", "6.12.1", "6.12-rc1", "next-20240610", "next-20240701",
  ];
  const K = (k: string) => parseKernelVersion(k);
  const randomCells = (pass: number): KernelCell[] => {
    const cells: KernelCell[] = [];
    for (const kernel of MANY)
      for (const arch of ARCHES.slice(0, 2))
        if (rnd() < 0.6) {
          const x = rnd();
          const status: Status = x < pass ? "pass" : x < pass + (1 - pass) * 0.7 ? "fail" : pick(["error", "skip"] as const);
          cells.push({ kernel: K(kernel), arch, status, errorLine: status === "fail" ? `e ${kernel}` : null, logUrl: null, lastResultAt: new Date(0) });
        }
    return cells;
  };
  // The rules as they were written before the walk went series by series (stop 14): every kernel of
  // the line folded and sorted at once; every common kernel compared.
  const wholeHistorySince = (cells: KernelCell[], failing: string) => {
    const line = kernelLine(failing);
    const states = foldByKernel(cells.filter((c) => kernelLine(c.kernel) === line)).filter(
      (s) => (s.status === "pass" || s.status === "fail") && compareKernels(s.kernel, failing) <= 0,
    );
    let first = failing;
    let lastPass: string | null = null;
    for (let i = states.length - 1; i >= 0; i--) {
      if (states[i].status === "pass") {
        lastPass = states[i].kernel.raw;
        break;
      }
      first = states[i].kernel.raw;
    }
    return { kernel: first, lastPass };
  };
  const wholeHistoryNewest = (passing: KernelVersion[][], target: KernelVersion) => {
    const sets = passing.map((list) => new Set(list.map((k) => k.raw)));
    const common = passing[0].filter((k) => sets.every((s) => s.has(k.raw)));
    const newest = (list: KernelVersion[]) => [...list].sort(compareKernels).at(-1)?.raw ?? null;
    return { overall: newest(common), inLine: newest(common.filter((k) => kernelLine(k) === kernelLine(target))) };
  };

  it("on 400 generated versions: the same first bad kernel and last pass for every failing kernel", () => {
    let crossed = 0;
    for (let n = 0; n < 400; n++) {
      const cells = randomCells(0.45);
      for (const s of foldByKernel(cells).filter((x) => x.status === "fail")) {
        const v = judgeVersion(s.kernel, { version: "1.0", declaredKernelMin: null, declaredKernelMax: null, cells });
        const want = wholeHistorySince(cells, s.kernel.raw);
        expect(v.since, `${s.kernel.raw} in ${JSON.stringify(cells.map((c) => [c.kernel.raw, c.arch, c.status]))}`).toEqual(want);
        // as the check gives them: the target's series as cells, every series read on demand
        const split = judgeVersion(s.kernel, {
          version: "1.0",
          declaredKernelMin: null,
          declaredKernelMax: null,
          cells: cells.filter((c) => c.kernel.series === s.kernel.series),
          elsewhere: cellsBySeries(cells),
        });
        expect(split).toEqual(v);
        if (want.lastPass && K(want.lastPass).series !== s.kernel.series) crossed += 1;
      }
    }
    expect(crossed).toBeGreaterThan(50); // the walk really left the failing kernel's series
  });

  it("on 400 generated sets of 1–4 versions: the same newest common pass, overall and in the target's line", () => {
    let crossed = 0;
    for (let n = 0; n < 400; n++) {
      const versions = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => randomCells(0.8));
      const passing = versions.map(passingKernels);
      const target = K(pick(MANY));
      const got = newestCommonPass(passing, target);
      const want = wholeHistoryNewest(passing, target);
      expect({ overall: got.overall?.raw ?? null, inLine: got.inLine?.raw ?? null }).toEqual(want);
      expect(newestCommonPass(versions.map(cellsBySeries), target)).toEqual(got);
      if (want.overall && want.inLine && K(want.overall).series !== K(want.inLine).series) crossed += 1;
    }
    expect(crossed).toBeGreaterThan(30); // the line's answer lay in an older series than the overall one
  });
});
