import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  debianUpstreamVersion,
  firstUploadOfUpstream,
  kernelIdentity,
  linuxVersionOfPackage,
  parseDebianChangelog,
  uploadOf,
} from "../../lib/domain/debian-changelog";

const fixture = (name: string) => readFileSync(path.join(__dirname, "../fixtures/changelogs", name), "utf8");

describe("parseDebianChangelog on real excerpts", () => {
  it("dates the trixie-backports upload of 7.3.4 and the unstable one before it, in UTC", () => {
    const entries = parseDebianChangelog(fixture("linux-7.3.4-trixie-backports.txt"));
    expect(entries[0]).toMatchObject({ source: "linux", version: "7.3.4-1~bpo13+1", distributions: "trixie-backports", date: "2026-11-15T22:30:52.000Z" });
    expect(uploadOf(entries, "7.3.4-1")).toMatchObject({ distributions: "unstable", date: expect.stringMatching(/^2026-11-1[01]T/) });
    expect(entries.every((e) => !Number.isNaN(Date.parse(e.date)))).toBe(true);
  });

  it("finds the experimental rc upload with a +0200 offset", () => {
    const entries = parseDebianChangelog(fixture("linux-7.3-rc7-experimental.txt"));
    expect(uploadOf(entries, "7.3~rc7-1~exp1")).toMatchObject({ distributions: "experimental", date: "2026-10-16T02:51:48.000Z", dateText: "Fri, 16 Oct 2026 04:51:48 +0200" });
    expect(uploadOf(entries, "7.3~rc6-1~exp1")?.date).toBe("2026-10-09T07:35:08.000Z");
    expect(uploadOf(entries, "7.3~rc8-1~exp1")).toBeNull();
  });

  it("dates bookworm-security 6.1.192-2 (6.1.0-56) apart from 6.1.192-1", () => {
    const entries = parseDebianChangelog(fixture("linux-6.1.192-2-bookworm-security.txt"));
    expect(uploadOf(entries, "6.1.192-2")?.date).toBe("2026-11-16T10:17:40.000Z");
    expect(uploadOf(entries, "6.1.192-1")?.date).toBe("2026-11-14T10:29:58.000Z");
  });

  it("gives a module version the date of its first upload, not of the package at hand", () => {
    const entries = parseDebianChangelog(fixture("v4l2loopback-dkms-0.12.7-2.txt"));
    expect(entries[0].version).toBe("0.12.7-2");
    const first = firstUploadOfUpstream(entries, "0.12.7");
    expect(first?.version).toBe("0.12.7-1");
    expect(first!.date < entries[0].date).toBe(true);
    // 0.12.0 had eight uploads (unstable, then 0.12.0-3~exp1 … ~exp5 in experimental): the oldest counts
    expect(firstUploadOfUpstream(entries, "0.12.0")).toMatchObject({ version: "0.12.0-1", distributions: "unstable" });
    expect(firstUploadOfUpstream(entries, "9.9.9")).toBeNull();
  });

  it("ignores text that is not a changelog", () => {
    expect(parseDebianChangelog("")).toEqual([]);
    expect(parseDebianChangelog("hello\n -- nobody  yesterday\n")).toEqual([]);
    expect(parseDebianChangelog("x (1.0-1) unstable; urgency=low\n -- A <a@b>  Mon, 32 Foo 2026 00:00:00 +0000\n")).toEqual([]);
  });
});

describe("versions carried by Debian packages", () => {
  it.each([
    ["6.1.192-2", "6.1.192"],
    ["7.3~rc7-1~exp1", "7.3-rc7"],
    ["7.3.4-1~bpo13+1", "7.3.4"],
    ["6.12.117-1~deb12u1", "6.12.117"],
    ["5.10.223-1", "5.10.223"],
  ])("linuxVersionOfPackage(%s) = %s", (pkg, linux) => expect(linuxVersionOfPackage(pkg)).toBe(linux));

  it.each([
    ["1:2.11.1.0.20170917~dfsg-8.4", "2.11.1.0.20170917~dfsg"],
    ["0.12.7-2", "0.12.7"],
    ["20250329-1", "20250329"],
    ["1.0", "1.0"],
  ])("debianUpstreamVersion(%s) = %s", (v, up) => expect(debianUpstreamVersion(v)).toBe(up));

  it.each([
    ["7.3-amd64", "7.3~rc7-1~exp1", "7.3-rc7-amd64"],
    ["7.3-cloud-amd64", "7.3~rc7-1~exp1", "7.3-rc7-cloud-amd64"],
    ["7.3-rc7-amd64", "7.3~rc7-1~exp1", "7.3-rc7-amd64"],
    ["7.3.4+deb13-amd64", "7.3.4-1~bpo13+1", "7.3.4+deb13-amd64"],
    ["6.1.0-56-amd64", "6.1.192-2", "6.1.0-56-amd64"],
    ["6.1.0-56-amd64", undefined, "6.1.0-56-amd64"],
  ])("kernelIdentity(%s, %s) = %s", (release, pkg, id) => expect(kernelIdentity(release, pkg)).toBe(id));
});
