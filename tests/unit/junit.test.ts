import { describe, expect, it } from "vitest";
import { junitToResults } from "../../lib/junit/map";
import { JunitError, parseJunit } from "../../lib/junit/parse";

const REPORT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="dkms" tests="4" failures="1" errors="1" skipped="1">
  <properties><property name="modcompat.arch" value="x86_64"/></properties>
  <testsuite name="v4l2loopback" timestamp="2026-11-02T08:00:00">
    <properties>
      <property name="modcompat.module" value="v4l2loopback"/>
      <property name="modcompat.version" value="0.12.7"/>
    </properties>
    <testcase classname="build" name="6.1.0-56-amd64" time="2.5">
      <properties><property name="modcompat.kernel" value="6.1.0-56-amd64"/><property name="modcompat.stage" value="build"/></properties>
    </testcase>
    <testcase classname="build" name="6.12.107+deb12-amd64" time="1.25">
      <properties><property name="modcompat.kernel" value="6.12.107+deb12-amd64"/><property name="modcompat.stage" value="build"/></properties>
      <failure message="implicit declaration of function &#8216;strlcpy&#8217;" type="compile">v4l2loopback.c:702:9: error: implicit declaration of function &#8216;strlcpy&#8217;</failure>
      <system-out>make: *** Error 2</system-out>
    </testcase>
    <testsuite name="load">
      <testcase name="modprobe" time="0.1"><properties><property name="modcompat.kernel" value="6.1.0-56-amd64"/></properties><error message="no /dev/video0">harness</error></testcase>
      <testcase name="rt"><properties><property name="modcompat.kernel" value="6.1.0-56-rt-amd64"/></properties><skipped message="BUILD_EXCLUSIVE"/></testcase>
    </testsuite>
  </testsuite>
</testsuites>`;

describe("parseJunit", () => {
  it("flattens nested suites, inherits properties (inner wins) and reads outcomes", () => {
    const cases = parseJunit(REPORT);
    expect(cases.map((c) => [c.suite, c.name, c.outcome, c.timeSeconds])).toEqual([
      ["v4l2loopback", "6.1.0-56-amd64", "passed", 2.5],
      ["v4l2loopback", "6.12.107+deb12-amd64", "failure", 1.25],
      ["v4l2loopback.load", "modprobe", "error", 0.1],
      ["v4l2loopback.load", "rt", "skipped", undefined],
    ]);
    expect(cases[1].message).toBe("implicit declaration of function ‘strlcpy’");
    expect(cases[1].text).toContain("make: *** Error 2");
    expect(cases[2].properties).toMatchObject({ "modcompat.arch": "x86_64", "modcompat.module": "v4l2loopback", "modcompat.kernel": "6.1.0-56-amd64" });
  });

  it("accepts a bare <testsuite> root", () => {
    expect(parseJunit(`<testsuite name="s"><testcase name="a"/></testsuite>`)).toHaveLength(1);
  });

  it.each([
    ["<testsuites><testsuite>", /not well-formed/],
    ["<report/>", /no <testsuites> or <testsuite>/],
  ])("rejects %s", (xml, msg) => {
    expect(() => parseJunit(xml)).toThrow(JunitError);
    expect(() => parseJunit(xml)).toThrow(msg);
  });
});

describe("junitToResults", () => {
  it("maps outcomes to statuses, stages, durations and times", () => {
    const { results, unmapped } = junitToResults(parseJunit(REPORT));
    expect(unmapped).toEqual([]);
    expect(results.map((r) => [r.kernel, r.stage, r.status, r.durationMs])).toEqual([
      ["6.1.0-56-amd64", "build", "pass", 2500],
      ["6.12.107+deb12-amd64", "build", "fail", 1250],
      ["6.1.0-56-amd64", "test", "error", 100],
      ["6.1.0-56-rt-amd64", "test", "skip", undefined],
    ]);
    expect(results[0].finishedAt).toBe("2026-11-02T08:00:02.500Z");
    expect(results[1].errorLine).toBe("implicit declaration of function ‘strlcpy’");
  });

  it("takes missing fields from the query, and names the test cases it cannot map", () => {
    const xml = `<testsuite name="s"><testcase name="a"/><testcase name="b"><properties><property name="modcompat.kernel" value="not a kernel!"/></properties></testcase></testsuite>`;
    const none = junitToResults(parseJunit(xml));
    expect(none.unmapped.map((u) => [u.index, u.reason])).toEqual([
      [0, "no module, version, kernel, arch: set the modcompat.module property or ?module=&version=&kernel=&arch="],
      [1, "no module, version, arch: set the modcompat.module property or ?module=&version=&arch="],
    ]);
    const some = junitToResults(parseJunit(xml), { module: "zfs", version: "2.2.4", kernel: "6.8.0-45-generic", arch: "x86_64" });
    expect(some.results).toHaveLength(1);
    expect(some.unmapped).toHaveLength(1);
    expect(some.unmapped[0].reason).toMatch(/^kernel:/);
  });
});

describe("resultsToJunit", () => {
  it("writes a report that imports back to the same results", async () => {
    const { resultsToJunit } = await import("../../lib/junit/write");
    const base = { runId: 1, module: "v4l2loopback", version: "0.12.7", arch: "x86_64", logTruncated: false, logUrl: null, compiler: null, releasedAt: null, declaredKernelMin: null, declaredKernelMax: null };
    const rows = [
      { ...base, id: 1, kernel: "6.1.0-56-amd64", stage: "build" as const, status: "pass" as const, durationMs: 2100, logExcerpt: null, errorLine: null, finishedAt: new Date("2026-11-01T10:00:02.100Z") },
      { ...base, id: 2, kernel: "6.12.107+deb12-amd64", stage: "build" as const, status: "fail" as const, durationMs: 1000, logExcerpt: "a <b> & 'c'", errorLine: "implicit declaration of function 'strlcpy'", finishedAt: new Date("2026-11-01T10:01:00Z") },
      { ...base, id: 3, kernel: "6.1.0-56-rt-amd64", stage: "build" as const, status: "skip" as const, durationMs: null, logExcerpt: null, errorLine: "BUILD_EXCLUSIVE_CONFIG", finishedAt: new Date("2026-11-01T10:02:00Z") },
      { ...base, id: 4, kernel: "6.1.0-56-amd64", stage: "load" as const, status: "error" as const, durationMs: 5, logExcerpt: null, errorLine: null, finishedAt: new Date("2026-11-01T10:03:00Z") },
    ];
    const xml = resultsToJunit(rows);
    expect(xml).toContain('<testsuite name="v4l2loopback@0.12.7" tests="4" failures="1" errors="1" skipped="1">');
    const back = junitToResults(parseJunit(xml));
    expect(back.unmapped).toEqual([]);
    expect(back.results.map((r) => [r.module, r.moduleVersion, r.kernel, r.arch, r.stage, r.status, r.durationMs, r.finishedAt])).toEqual(
      rows.map((r) => [r.module, r.version, r.kernel, r.arch, r.stage, r.status, r.durationMs ?? undefined, r.finishedAt.toISOString()]),
    );
    expect(back.results[1]).toMatchObject({ log: "a <b> & 'c'", errorLine: "implicit declaration of function 'strlcpy'" });
  });
});
