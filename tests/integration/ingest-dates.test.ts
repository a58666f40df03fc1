import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { getModuleHistory } from "@/lib/services/history/get-module-history";
import { getCellHistory } from "@/lib/services/history/get-cell-history";
import type { IngestBody } from "@/lib/schemas/ingest";
import { expectError, GCC_STRLCPY_LOG, ingestBody, newToken, postResults, result, uniqueAbi, uniqueTag } from "./helpers";

const tag = uniqueTag();
const source = `dates-${tag}`;
let runSeq = 0;
const runId = () => `run-${++runSeq}`;
const abi = uniqueAbi();
const K_OLD = `6.1.0-${abi}-amd64`;
const K_NEW = `6.12.${abi % 90000}+deb12-amd64`;
const K_ONLY_META = `6.1.0-${abi + 1}-amd64`;
const K_RC = `7.3-rc7-amd64`;
const mod = `dated-${tag}`;

let token: string;
beforeAll(async () => {
  token = await newToken(`dates-${tag}`);
});

async function ingest(body: IngestBody) {
  const res = await postResults(body, { token });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}

const kernel = (version: string) => db().kernel.findUniqueOrThrow({ where: { version } });

describe("ingest: kernel and module version dates", () => {
  it("stores kernel metadata, creates kernels named only in `kernels`, and dates module versions with their source", async () => {
    await ingest({
      ...ingestBody(source, runId(), [
        result({ module: mod, moduleVersion: "0.12.7", kernel: K_OLD }),
        result({ module: mod, moduleVersion: "0.12.7", kernel: K_NEW, status: "fail", log: GCC_STRLCPY_LOG }),
        result({ module: mod, moduleVersion: "0.13.2", kernel: K_NEW }),
      ]),
      modules: [
        {
          slug: mod,
          versions: [{ version: "0.13.2", releasedAt: "2025-01-20", releasedAtSource: "changelog.Debian.gz of v4l2loopback-dkms: 0.13.2-1 New upstream version" }],
        },
      ],
      kernels: [
        {
          kernel: K_OLD,
          package: `linux-headers-${K_OLD}`,
          packageVersion: "6.1.192-2",
          upstreamVersion: "6.1.192",
          releasedAt: "2025-10-01",
          releasedAtSource: "changelog.Debian.gz of linux-headers-6.1.0-56-common: linux (6.1.192-2) bookworm-security",
        },
        { kernel: K_NEW, upstreamVersion: "6.12.107", releasedAt: "2025-01-05T10:00:00Z" },
        { kernel: K_ONLY_META, upstreamVersion: "6.1.200", releasedAt: "2026-01-01" },
      ],
    });
    const old = await kernel(K_OLD);
    expect(old).toMatchObject({
      package: `linux-headers-${K_OLD}`,
      packageVersion: "6.1.192-2",
      upstreamVersion: "6.1.192",
      releasedAt: new Date("2025-10-01T00:00:00Z"),
      releasedAtSource: "changelog.Debian.gz of linux-headers-6.1.0-56-common: linux (6.1.192-2) bookworm-security",
      prerelease: false,
    });
    // A date sent without its source still says where it came from: the run that reported it.
    expect((await kernel(K_NEW)).releasedAtSource).toBe(`reported by ${source} run run-1, without a source`);
    expect(await kernel(K_ONLY_META)).toMatchObject({ upstreamVersion: "6.1.200", series: "6.1" });
    expect(await db().cell.count({ where: { kernel: { version: K_ONLY_META } } })).toBe(0);

    const m = await db().module.findUniqueOrThrow({ where: { slug: mod }, include: { versions: true } });
    expect(m.versions.find((v) => v.version === "0.13.2")).toMatchObject({
      releasedAt: new Date("2025-01-20T00:00:00Z"),
      releasedAtSource: "changelog.Debian.gz of v4l2loopback-dkms: 0.13.2-1 New upstream version",
    });

    // The incident sits at the first bad kernel's release, its fix at the fixing version's release.
    const incident = await db().incident.findFirstOrThrow({ where: { moduleId: m.id } });
    expect(incident).toMatchObject({
      openedAt: new Date("2025-01-05T10:00:00Z"),
      openedAtBasis: "release",
      fixedAtBasis: "release-date",
      fixedAt: new Date("2025-01-20T00:00:00Z"),
    });
    expect(incident.openedSeenAt).not.toBeNull();
    expect(incident.timeToFixDays).toBeCloseTo(14.58, 1);

    // The pass-rate trend follows the same rule (eventDate): results sit at their kernel's release.
    const h = await getModuleHistory(mod);
    expect(h.data.resultsWithKernelDate).toBe(3);
    // Nine months apart, so weekly buckets (Mondays): the weeks of 2025-01-05 and 2025-10-01.
    expect(h.passRate.bucket).toBe("week");
    expect(h.passRate.points.map((p) => [p.start, p.pass, p.fail])).toEqual([
      ["2024-12-30", 1, 1],
      ["2025-09-29", 1, 0],
    ]);
    const cell = await getCellHistory({ slug: mod, version: "0.13.2", kernel: K_NEW });
    expect(cell.dates).toMatchObject({ kernelUpstream: "6.12.107", kernelReleasedAt: new Date("2025-01-05T10:00:00Z"), kernelUpcoming: false, versionReleasedAt: new Date("2025-01-20T00:00:00Z") });
    expect(h.incidents[0]).toMatchObject({ openedAtBasis: "release", openedAtSource: `reported by ${source} run run-1, without a source`, fixedAtSource: expect.stringContaining("New upstream version") });
  });

  it("newer metadata overwrites older, absence never erases, and re-dating a kernel re-dates other modules' incidents", async () => {
    await ingest({
      ...ingestBody(source, runId(), [result({ module: `other-${tag}`, kernel: K_OLD })]),
      kernels: [{ kernel: K_NEW, releasedAt: "2025-01-06", releasedAtSource: "corrected changelog entry" }, { kernel: K_OLD }],
    });
    expect(await kernel(K_OLD)).toMatchObject({ upstreamVersion: "6.1.192", packageVersion: "6.1.192-2", releasedAt: new Date("2025-10-01T00:00:00Z") });
    expect(await kernel(K_NEW)).toMatchObject({ upstreamVersion: "6.12.107", releasedAt: new Date("2025-01-06T00:00:00Z"), releasedAtSource: "corrected changelog entry" });
    const m = await db().module.findUniqueOrThrow({ where: { slug: mod } });
    expect((await db().incident.findFirstOrThrow({ where: { moduleId: m.id } })).openedAt).toEqual(new Date("2025-01-06T00:00:00Z"));
  });

  it("an rc kernel is a pre-release; the experimental flag marks one whose string does not say rc", async () => {
    const exp = `7.3.0-${abi}-amd64`;
    await ingest({
      ...ingestBody(source, runId(), [result({ module: mod, moduleVersion: "0.13.2", kernel: K_RC, status: "fail", log: GCC_STRLCPY_LOG })]),
      kernels: [{ kernel: K_RC, upstreamVersion: "7.3-rc7", package: "linux-headers-7.3-amd64", packageVersion: "7.3~rc7-1~exp1" }, { kernel: exp, prerelease: true }],
    });
    expect(await kernel(K_RC)).toMatchObject({ prerelease: true, rc: 7, packageVersion: "7.3~rc7-1~exp1" });
    expect(await kernel(exp)).toMatchObject({ prerelease: true, rc: null });
  });

  it("rejects malformed metadata with the path of the field", async () => {
    const res = await postResults(
      { ...ingestBody(source, runId(), [result({ module: mod, kernel: K_OLD })]), kernels: [{ kernel: K_OLD, releasedAt: "last tuesday" }] },
      { token },
    );
    const err = await expectError(res, 422, "validation_failed");
    expect(err.issues?.map((i) => i.path)).toContain("kernels[0].releasedAt");
    const res2 = await postResults({ ...ingestBody(source, runId(), [result({ module: mod, kernel: K_OLD })]), kernels: [{ kernel: K_OLD, colour: "red" }] }, { token });
    await expectError(res2, 422, "validation_failed");
  });
});
