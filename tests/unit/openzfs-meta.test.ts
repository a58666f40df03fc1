import { describe, expect, it } from "vitest";
import { metaTagType, parseMetaFile, recordableReleases, releaseFromCsvRow, releaseFromMeta, versionOfTag, type MetaTagType } from "../../lib/domain/openzfs-meta";

describe("openzfs META rules", () => {
  it("parses Key: value lines", () => {
    expect(parseMetaFile("Meta: 1\nName:         zfs\nVersion:   2.2.4\nLinux-Maximum: 6.8\r\nLinux-Minimum: 3.10\n# comment\n")).toEqual({
      Meta: "1",
      Name: "zfs",
      Version: "2.2.4",
      "Linux-Maximum": "6.8",
      "Linux-Minimum": "3.10",
    });
  });

  const types: [string, string | undefined, MetaTagType][] = [
    ["2.2.4", "1", "release"],
    ["2.2.0", "rc1", "release-candidate"],
    ["2.2.99", "1", "dev-branch-marker"],
    ["0.6.3", "1.1", "release"],
    ["2.3.0", undefined, "release"],
  ];
  it.each(types)("Version %s Release %s is a %s", (v, r, want) => expect(metaTagType(v, r)).toBe(want));

  it.each([
    ["zfs-2.2.4", "2.2.4", "1", "2.2.4"],
    ["zfs-0.6.3-1.1", "0.6.3", "1.1", "0.6.3-1.1"],
    ["", "2.3.0", "1", "2.3.0"],
    ["", "0.6.3", "1.2", "0.6.3-1.2"],
  ])("tag %s (Version %s, Release %s) is version %s", (tag, v, r, want) => expect(versionOfTag(tag, v, r)).toBe(want));

  it("turns a CSV row into a dated release with its declared range and source", () => {
    const r = releaseFromCsvRow(
      {
        tag: "zfs-2.2.4",
        version: "2.2.4",
        meta_release: "1",
        tag_type: "release",
        tag_commit: "2566592045780e7be7afc899c2496b1ae3af4f4d",
        tag_commit_date: "2024-04-30",
        tagger_date: "2024-05-02",
        linux_minimum: "3.10",
        linux_maximum: "6.8",
      },
      "x.csv line 2",
    );
    expect(r).toMatchObject({ version: "2.2.4", tagType: "release", declaredKernelMin: "3.10", declaredKernelMax: "6.8", releasedOn: "2024-04-30" });
    expect(r.source).toBe("OpenZFS upstream tag zfs-2.2.4 (commit 256659204578): commit date and META Linux-Minimum/Maximum, via x.csv line 2");
    expect(() => releaseFromCsvRow({ tag: "zfs-1", version: "1", tag_type: "nightly" }, "y")).toThrow(/unknown tag_type/);
    expect(() => releaseFromCsvRow({ tag: "zfs-1", version: "1", tag_commit_date: "30/04/2024" }, "y")).toThrow(/not YYYY-MM-DD/);
  });

  it("a bare META file has no date, and a file without Version is refused", () => {
    expect(releaseFromMeta({ meta: "Version: 2.3.0\nRelease: 1\nLinux-Maximum: 6.10\n", tag: null, commit: null, date: null, where: "a/META" })).toMatchObject({
      version: "2.3.0",
      releasedOn: null,
      declaredKernelMin: null,
      declaredKernelMax: "6.10",
    });
    expect(() => releaseFromMeta({ meta: "Name: other\n", tag: null, commit: null, date: null, where: "b/META" })).toThrow(/not an OpenZFS META/);
  });

  it("records releases only, one per version", () => {
    const base = { tag: null, commit: null, declaredKernelMin: null, declaredKernelMax: null, releasedOn: null, source: "s" };
    const { releases, skipped } = recordableReleases([
      { ...base, version: "2.2.0-rc1", tagType: "release-candidate" },
      { ...base, version: "2.2.99", tagType: "dev-branch-marker" },
      { ...base, version: "2.2.0", tagType: "release" },
      { ...base, version: "2.2.0", tagType: "release", declaredKernelMax: "6.5" },
    ]);
    expect(releases).toEqual([{ ...base, version: "2.2.0", tagType: "release", declaredKernelMax: "6.5" }]);
    expect(skipped).toEqual({ release: 0, "release-candidate": 1, "dev-branch-marker": 1 });
  });
});
