import { describe, expect, it } from "vitest";
import { daysToFix, eventDate, type DateBasis } from "../../lib/domain/event-date";
import { detectIncidents, type ResultInput } from "../../lib/domain/regressions";
import { isUpcoming, kernelLabel, upstreamNote, upstreamOf } from "../../lib/domain/kernel-release";

const d = (s: string) => new Date(`${s}T00:00:00Z`);

describe("eventDate: a release date when known, else the date seen", () => {
  const table: [Date | null, Date, { at: Date; basis: DateBasis }][] = [
    [d("2024-03-10"), d("2026-11-29"), { at: d("2024-03-10"), basis: "release" }],
    [null, d("2026-11-29"), { at: d("2026-11-29"), basis: "seen" }],
  ];
  it.each(table)("released %s, seen %s", (released, seen, want) => {
    expect(eventDate(released, seen)).toEqual({ ...want, seenAt: seen });
  });
});

describe("daysToFix", () => {
  const table: [string, { at: Date; basis: DateBasis; runId?: number }, { at: Date; basis: DateBasis; runId?: number }, number | null][] = [
    ["both releases", { at: d("2024-03-10"), basis: "release" }, { at: d("2024-04-09"), basis: "release" }, 30],
    ["fix released before the kernel: no wait", { at: d("2024-03-10"), basis: "release" }, { at: d("2024-01-01"), basis: "release" }, 0],
    ["kernel dated, fix only seen: different clocks", { at: d("2024-03-10"), basis: "release" }, { at: d("2026-11-29"), basis: "seen" }, null],
    ["both seen, other runs", { at: d("2024-03-10"), basis: "seen", runId: 1 }, { at: d("2024-03-20"), basis: "seen", runId: 2 }, 10],
    ["both seen in the same run", { at: d("2024-03-10"), basis: "seen", runId: 1 }, { at: d("2024-03-10"), basis: "seen", runId: 1 }, null],
    ["break seen, fix released (live CI)", { at: d("2024-03-10"), basis: "seen", runId: 1 }, { at: d("2024-03-17"), basis: "release" }, 7],
  ];
  it.each(table)("%s", (_, opened, fixed, want) => {
    expect(daysToFix(opened, fixed)).toBe(want);
  });
});

describe("incidents are dated by kernel releases", () => {
  let id = 1;
  const r = (version: string, kernel: string, status: "pass" | "fail", run = 1): ResultInput => ({
    id: id++,
    runId: run,
    version,
    kernel,
    arch: "x86_64",
    stage: "build",
    status,
    // Everything built on one day, years after the kernels came out: the demo's situation.
    finishedAt: d("2026-11-29"),
    errorLine: status === "fail" ? "implicit declaration of function 'strlcpy'" : null,
  });
  const results = [
    r("0.12.7", "6.1.0-56-amd64", "pass"),
    r("0.12.7", "6.12.107+deb12-amd64", "fail"),
    r("0.13.2", "6.12.107+deb12-amd64", "pass"),
  ];

  it("opens at the first bad kernel's release, fixes at the fixing version's release, keeps the seen time", () => {
    const { incidents } = detectIncidents({
      results,
      versions: [{ version: "0.13.2", releasedAt: d("2025-01-20") }],
      kernels: [
        { version: "6.1.0-56-amd64", releasedAt: d("2025-10-01") },
        { version: "6.12.107+deb12-amd64", releasedAt: d("2025-01-05") },
      ],
    });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      openedAt: d("2025-01-05"),
      openedAtBasis: "release",
      openedSeenAt: d("2026-11-29"),
      fixedAt: d("2025-01-20"),
      fixedAtBasis: "release-date",
      fixedSeenAt: d("2026-11-29"),
      timeToFixDays: 15,
    });
  });

  it("without kernel dates, opens when seen and the time to fix stays unknown within one run", () => {
    const { incidents } = detectIncidents({ results });
    expect(incidents[0]).toMatchObject({ openedAt: d("2026-11-29"), openedAtBasis: "seen", fixedAtBasis: "first-pass-observed", timeToFixDays: null });
  });

  it("a dated break with an undated fix has an unknown time to fix, never two years", () => {
    const { incidents } = detectIncidents({ results, kernels: [{ version: "6.12.107+deb12-amd64", releasedAt: d("2025-01-05") }] });
    expect(incidents[0]).toMatchObject({ openedAt: d("2025-01-05"), openedAtBasis: "release", fixedAtBasis: "first-pass-observed", timeToFixDays: null });
  });

  it("a later kernel that undoes the break is dated by its release", () => {
    const { incidents } = detectIncidents({
      results: [r("1.0", "6.1.0-47-amd64", "pass"), r("1.0", "6.1.0-50-amd64", "fail"), r("1.0", "6.1.0-56-amd64", "pass")],
      kernels: [
        { version: "6.1.0-50-amd64", releasedAt: d("2025-06-01") },
        { version: "6.1.0-56-amd64", releasedAt: d("2025-09-01") },
      ],
    });
    expect(incidents[0]).toMatchObject({ fixedAtBasis: "kernel-release", fixedAt: d("2025-09-01"), timeToFixDays: 92 });
  });
});

describe("kernel-release", () => {
  const table: [string, string | null, string | null, string][] = [
    ["6.1.0-56-amd64", "6.1.192", "6.1.192", "6.1.0-56-amd64 · Linux 6.1.192"],
    ["6.1.0-56-amd64", null, null, "6.1.0-56-amd64"],
    ["6.12.107+deb12-amd64", null, "6.12.107", "6.12.107+deb12-amd64"],
    ["7.3-rc7-amd64", "7.3-rc7", "7.3-rc7", "7.3-rc7-amd64"],
    ["6.8.0-45-generic", null, null, "6.8.0-45-generic"],
    ["6.9.7", null, "6.9.7", "6.9.7"],
  ];
  it.each(table)("%s (reported upstream %s) carries %s", (version, upstreamVersion, want, label) => {
    expect(upstreamOf({ version, upstreamVersion })).toBe(want);
    expect(kernelLabel({ version, upstreamVersion })).toBe(label);
  });
  it.each([
    ["6.12.107+deb12-amd64", "6.12.10", "6.12.10"],
    ["6.12.107+deb12-amd64", "6.12.107", null],
    ["6.9.7", "6.9.7", null],
    ["6.1.0-56-amd64", null, null],
  ])("upstreamNote(%s, %s) = %s: printed only when it says something the string does not", (v, up, want) => expect(upstreamNote(v, up)).toBe(want));
  it.each([
    [{ rc: 7, prerelease: false }, true],
    [{ rc: null, prerelease: true }, true],
    [{ rc: null, prerelease: false }, false],
  ])("isUpcoming(%o) = %s", (k, want) => expect(isUpcoming(k)).toBe(want));
});
