import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { db } from "@/lib/db/client";
import { checkModules } from "@/lib/services/check/check-modules";
import { importOpenzfsMeta, OPENZFS_META_SOURCE } from "@/lib/services/import-openzfs-meta";
import { AppError } from "@/lib/services/errors";

const FIXTURE = path.resolve(import.meta.dirname, "../fixtures/openzfs/openzfs-meta-small.csv");
const temp = mkdtempSync(path.join(tmpdir(), "modcompat-openzfs-"));
chmodSync(temp, 0o755);
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const zfsVersions = async () =>
  db().moduleVersion.findMany({ where: { module: { slug: "zfs" } }, orderBy: { sortKey: "asc" }, select: { version: true, declaredKernelMin: true, declaredKernelMax: true, releasedAt: true, releasedAtSource: true } });

const meta = (version: string, release: string, min: string, max: string) =>
  `Meta:          1\nName:          zfs\nBranch:        1.0\nVersion:       ${version}\nRelease:       ${release}\nRelease-Tags:  relext\nLicense:       CDDL\nAuthor:        OpenZFS\nLinux-Maximum: ${max}\nLinux-Minimum: ${min}\n`;

describe("modcompat import openzfs-meta", () => {
  it("records the releases of the CSV (not rcs, not .99 markers) with declared ranges, tag dates and their source, and no results", async () => {
    // The test database is shared by every test file: count only the versions this import adds.
    const FIXTURE_VERSIONS = ["0.6.3", "0.6.3-1.1", "2.1.11", "2.2.4", "2.4.4"];
    const before = new Set((await zfsVersions()).map((v) => v.version));
    const zfsResults = () => db().result.count({ where: { moduleVersion: { module: { slug: "zfs" } } } });
    const resultsBefore = await zfsResults();
    const r = await importOpenzfsMeta(FIXTURE, { label: "tests/fixtures/openzfs/openzfs-meta-small.csv" });
    expect(r).toMatchObject({ kind: "csv", releases: 5, created: FIXTURE_VERSIONS.filter((v) => !before.has(v)).length, dated: 5, skipped: { "release-candidate": 1, "dev-branch-marker": 1 }, newRun: true });
    const versions = await zfsVersions();
    // every release of the CSV is there, and nothing else was added (other files may have built zfs versions)
    expect(versions.map((v) => v.version)).toEqual(expect.arrayContaining(FIXTURE_VERSIONS));
    expect(versions.map((v) => v.version).filter((v) => !before.has(v) && !FIXTURE_VERSIONS.includes(v))).toEqual([]);
    expect(versions.find((v) => v.version === "2.2.4")).toMatchObject({
      declaredKernelMin: "3.10",
      declaredKernelMax: "6.8",
      releasedAt: new Date("2024-04-30T00:00:00Z"),
      releasedAtSource: expect.stringContaining("OpenZFS upstream tag zfs-2.2.4 (commit 256659204578)"),
    });
    // Tags from before META declared a range carry none, and say nothing they do not know.
    expect(versions.find((v) => v.version === "0.6.3")).toMatchObject({ declaredKernelMin: null, declaredKernelMax: null });
    expect(await zfsResults()).toBe(resultsBefore); // the import stores no result
    const run = await db().run.findFirstOrThrow({ where: { source: OPENZFS_META_SOURCE }, orderBy: { id: "desc" } });
    expect(run.resultCount).toBe(0);
    expect(JSON.stringify(run.meta)).toContain("openzfs-meta-small.csv");

    const again = await importOpenzfsMeta(FIXTURE);
    expect(again).toMatchObject({ releases: 5, created: 0, updated: 5, newRun: false });
    expect((await zfsVersions()).map((v) => v.version)).toEqual(versions.map((v) => v.version));
  });

  it("the check answers for a release nobody built: declared, never observed", async () => {
    const out = await checkModules({ kernel: "6.8", modules: ["zfs@2.2.4", "zfs@2.1.11"] });
    const [m] = out.modules;
    expect(m).toMatchObject({ module: "zfs", version: "2.2.4", found: true, verdict: "likely", basis: "declared", declaredRange: { min: "3.10", max: "6.8" }, evidence: [] });
    expect(m.reason).toContain("declares support for kernels 3.10 to 6.8 (declared by the module, not observed)");
    const old = await checkModules({ kernel: "6.8", modules: ["zfs@2.1.11"] });
    expect(old.modules[0]).toMatchObject({ verdict: "unsupported", basis: "declared" });
    expect(out.kernel.prerelease).toBe(false);
    const rc = await checkModules({ kernel: "6.9-rc3", modules: ["zfs@2.2.4"] });
    expect(rc.kernel.prerelease).toBe(true);
    expect(rc.modules[0]).toMatchObject({ verdict: "unsupported", basis: "declared" });
  });

  it("reads an OpenZFS git checkout: git tags, each tag's META and its commit date", async () => {
    const repo = path.join(temp, "zfs-git");
    mkdirSync(repo);
    const git = (args: string[], date = "2030-01-15T12:00:00Z") =>
      execFileSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", ...args], {
        env: { ...process.env, GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date },
      });
    git(["init", "-q"]);
    const commitTag = (version: string, release: string, max: string, tag: string, date: string, annotated = true) => {
      writeFileSync(path.join(repo, "META"), meta(version, release, "5.10", max));
      git(["add", "META"], date);
      git(["commit", "-q", "-m", tag], date);
      git(annotated ? ["tag", "-a", "-m", tag, tag] : ["tag", tag], date);
    };
    commitTag("9.1.0", "1", "7.1", "zfs-9.1.0", "2030-01-15T12:00:00Z");
    commitTag("9.2.0", "rc1", "7.2", "zfs-9.2.0-rc1", "2030-02-01T12:00:00Z");
    commitTag("9.2.0", "1", "7.3", "zfs-9.2.0", "2030-03-01T12:00:00Z", false);
    commitTag("9.2.99", "1", "7.3", "zfs-9.2.99", "2030-03-05T12:00:00Z");
    const r = await importOpenzfsMeta(repo);
    expect(r).toMatchObject({ kind: "git", releases: 2, created: 2, skipped: { "release-candidate": 1, "dev-branch-marker": 1 } });
    const v = (await zfsVersions()).filter((x) => x.version.startsWith("9."));
    expect(v.map((x) => [x.version, x.declaredKernelMin, x.declaredKernelMax, x.releasedAt?.toISOString().slice(0, 10)])).toEqual([
      ["9.1.0", "5.10", "7.1", "2030-01-15"],
      ["9.2.0", "5.10", "7.3", "2030-03-01"],
    ]);
    expect(v[0].releasedAtSource).toMatch(/^OpenZFS upstream tag zfs-9\.1\.0 \(commit [0-9a-f]{12}\)/);
  });

  it("reads a directory of META files (no dates there, and it says so) and refuses what is not OpenZFS", async () => {
    const dir = path.join(temp, "metas");
    mkdirSync(path.join(dir, "zfs-9.3.0"), { recursive: true });
    writeFileSync(path.join(dir, "zfs-9.3.0", "META"), meta("9.3.0", "1", "5.15", "7.4"));
    const r = await importOpenzfsMeta(dir);
    expect(r).toMatchObject({ kind: "meta-files", releases: 1, dated: 0 });
    expect((await zfsVersions()).find((x) => x.version === "9.3.0")).toMatchObject({ declaredKernelMax: "7.4", releasedAt: null, releasedAtSource: null });

    const bad = path.join(temp, "bad.csv");
    writeFileSync(bad, "a,b\n1,2\n");
    await expect(importOpenzfsMeta(bad)).rejects.toThrow(AppError);
    await expect(importOpenzfsMeta(path.join(temp, "missing"))).rejects.toThrow(/no such file/);
    const empty = path.join(temp, "empty");
    mkdirSync(empty);
    await expect(importOpenzfsMeta(empty)).rejects.toThrow(/no META files/);
  });

  it("the CLI command is a thin shell around the service: prints a summary, exit 0; exit 3 with the reason on a bad path", () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const run = (arg: string) => {
      try {
        const stdout = execFileSync("node", [path.join(root, "bin/modcompat.mjs"), "import", "openzfs-meta", arg], {
          cwd: root,
          env: { ...process.env, DATABASE_URL: inject("databaseUrl") },
          encoding: "utf8",
          stdio: ["ignore", "pipe", "pipe"],
        });
        return { code: 0, out: stdout };
      } catch (e) {
        const err = e as { status: number; stdout: string; stderr: string };
        return { code: err.status, out: `${err.stdout}${err.stderr}` };
      }
    };
    const ok = run(FIXTURE);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("zfs: 5 releases from a csv source (0 new, 5 updated; 5 with a release date); 1 release candidate and 1 development marker skipped");
    const bad = run(path.join(temp, "nope"));
    expect(bad.code).toBe(3);
    expect(bad.out).toContain("no such file or directory");
  });
});
