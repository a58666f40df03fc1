import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DKMS_STATES, DKMS_STATE_MEANING, modulesToCheck, parseDkmsStatus, type DkmsEntry } from "../../lib/domain/dkms-status";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "../fixtures/dkms-status", name), "utf8");

type Expected = Pick<DkmsEntry, "format" | "module" | "version" | "kernel" | "arch" | "state" | "weakFrom" | "notes">;
const e = (
  format: DkmsEntry["format"],
  module: string,
  version: string,
  kernel: string | null,
  arch: string | null,
  state: DkmsEntry["state"],
  notes: string[] = [],
  weakFrom: string | null = null,
): Expected => ({ format, module, version, kernel, arch, state, notes, weakFrom });

// Lines as dkms 2.2, 2.8 and 3.0 print them.
const LINES: [string, Expected][] = [
  ["zfs, 2.2.4, 6.8.0-45-generic, x86_64: installed", e("dkms2", "zfs", "2.2.4", "6.8.0-45-generic", "x86_64", "installed")],
  ["zfs/2.2.4, 6.8.0-45-generic, x86_64: installed", e("dkms3", "zfs", "2.2.4", "6.8.0-45-generic", "x86_64", "installed")],
  ["v4l2loopback, 0.12.7: added", e("dkms2", "v4l2loopback", "0.12.7", null, null, "added")],
  ["zfs/2.2.4: added", e("dkms3", "zfs", "2.2.4", null, null, "added")],
  ["virtualbox/7.0.16, 6.8.0-45-generic, x86_64: built", e("dkms3", "virtualbox", "7.0.16", "6.8.0-45-generic", "x86_64", "built")],
  ["virtualbox, 6.1.50, 5.15.0-116-generic, x86_64: built", e("dkms2", "virtualbox", "6.1.50", "5.15.0-116-generic", "x86_64", "built")],
  ["nvidia/550.120: broken", e("dkms3", "nvidia", "550.120", null, null, "broken")],
  ["nvidia/550.120, 6.8.0-45-generic, x86_64: broken", e("dkms3", "nvidia", "550.120", "6.8.0-45-generic", "x86_64", "broken")],
  [
    "zfs, 2.1.15, 5.14.0-427.13.1.el9_4.x86_64, x86_64: installed-weak from 5.14.0-362.8.1.el9_3.x86_64",
    e("dkms2", "zfs", "2.1.15", "5.14.0-427.13.1.el9_4.x86_64", "x86_64", "installed-weak", [], "5.14.0-362.8.1.el9_3.x86_64"),
  ],
  [
    "nvidia-361, 361.42, 4.4.0-21-generic, x86_64: installed (original_module exists)",
    e("dkms2", "nvidia-361", "361.42", "4.4.0-21-generic", "x86_64", "installed", ["original_module exists"]),
  ],
  [
    "vboxhost, 5.0.18, 4.4.0-21-generic, x86_64: installed (WARNING! Diff between built and installed module!)",
    e("dkms2", "vboxhost", "5.0.18", "4.4.0-21-generic", "x86_64", "installed", ["WARNING! Diff between built and installed module!"]),
  ],
  [
    "zfs/2.2.4, 6.8.0-48-generic, x86_64: installed (WARNING! Diff between built and installed module!) (WARNING! Missing some built modules!)",
    e("dkms3", "zfs", "2.2.4", "6.8.0-48-generic", "x86_64", "installed", [
      "WARNING! Diff between built and installed module!",
      "WARNING! Missing some built modules!",
    ]),
  ],
  ["evdi/1.12.0, 6.1.0-56-amd64, x86_64: installed (Original modules exist)", e("dkms3", "evdi", "1.12.0", "6.1.0-56-amd64", "x86_64", "installed", ["Original modules exist"])],
  ["bcmwl, 6.30.223.271+bdcom, 4.4.0-21-generic, x86_64: installed", e("dkms2", "bcmwl", "6.30.223.271+bdcom", "4.4.0-21-generic", "x86_64", "installed")],
  ["v4l2loopback/0.12.7, 6.12.107+deb12-amd64, x86_64: installed", e("dkms3", "v4l2loopback", "0.12.7", "6.12.107+deb12-amd64", "x86_64", "installed")],
  ["  zfs/2.2.4, 6.8.0-45-generic, aarch64: installed  ", e("dkms3", "zfs", "2.2.4", "6.8.0-45-generic", "aarch64", "installed")],
  ["rtl8821CU/5.4.1, 6.8.0-45-generic, x86_64: installed", e("dkms3", "rtl8821CU", "5.4.1", "6.8.0-45-generic", "x86_64", "installed")],
];

const GARBAGE: [string, string][] = [
  ["$ sudo dkms status", "not a dkms status line"],
  ["Error! Could not locate dkms.conf file.", "a dkms error message"],
  ["Deprecated feature: REMAKE_INITRD (/var/lib/dkms/zfs/2.2.4/source/dkms.conf)", "not a dkms status line"],
  ["zfs/2.2.4, 6.8.0-45-generic, x86_64: exploded", 'unknown state "exploded"'],
  ["zfs, 2.2.4, 6.8.0-45-generic, x86_64: installedx", 'unknown state "installedx"'],
  ["zfs/2.2.4, 6.8.0-45-generic: installed", "expected a kernel and an arch"],
  ["zfs/2.2.4, 6.8.0-45-generic, x86_64, extra: installed", "expected a kernel and an arch"],
  ["zfs/2.2.4: installed", 'state "installed" needs a kernel'],
  ["zfs: added", "no module version"],
  ["zfs/: added", "invalid module version"],
  ["-zfs/2.2.4: added", "invalid module name"],
  ["zfs/2.2.4, generic, x86_64: installed", 'invalid kernel "generic"'],
  ["zfs/2.2.4, 6.8.0-45-generic, x86-64: installed", 'invalid arch "x86-64"'],
  ["installed", "not a dkms status line"],
];

describe("parseDkmsStatus: one line", () => {
  it.each(LINES)("%s", (line, expected) => {
    const { entries, problems } = parseDkmsStatus(line);
    expect(problems).toEqual([]);
    expect(entries).toEqual([{ line: 1, ...expected }]);
  });

  it.each(GARBAGE)("reports %j", (line, reason) => {
    const { entries, problems } = parseDkmsStatus(`zfs/2.2.4: added\n${line}`);
    expect(entries).toHaveLength(1);
    expect(problems).toHaveLength(1);
    expect(problems[0].line).toBe(2);
    expect(problems[0].text).toBe(line.trim());
    expect(problems[0].reason).toContain(reason);
  });

  it("knows every state it parses", () => {
    expect(Object.keys(DKMS_STATE_MEANING).sort()).toEqual([...DKMS_STATES].sort());
  });

  it("cuts very long garbage lines in its report", () => {
    const { problems } = parseDkmsStatus("x".repeat(5000));
    expect(problems[0].text.length).toBeLessThan(210);
  });
});

describe("parseDkmsStatus: whole outputs", () => {
  it("dkms 2.8 on Ubuntu 20.04", () => {
    const { entries, problems } = parseDkmsStatus(fixture("dkms2-ubuntu-2004.txt"));
    expect(problems).toEqual([]);
    expect(entries.map((x) => `${x.module}@${x.version}:${x.kernel ?? "-"}:${x.state}`)).toEqual([
      "nvidia@470.256.02:5.15.0-113-generic:installed",
      "nvidia@470.256.02:5.15.0-116-generic:installed",
      "virtualbox@6.1.50:5.15.0-113-generic:installed",
      "virtualbox@6.1.50:5.15.0-116-generic:built",
      "v4l2loopback@0.12.7:-:added",
    ]);
    expect(new Set(entries.map((x) => x.format))).toEqual(new Set(["dkms2"]));
  });

  it("dkms 2.2 with trailing notes", () => {
    const { entries } = parseDkmsStatus(fixture("dkms2-ubuntu-1604-notes.txt"));
    expect(entries.map((x) => x.notes)).toEqual([[], ["original_module exists"], ["WARNING! Diff between built and installed module!"]]);
  });

  it("dkms 3.0 on Debian 12", () => {
    const { entries, problems } = parseDkmsStatus(fixture("dkms3-debian-12.txt"));
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(4);
    expect(entries.every((x) => x.format === "dkms3" && x.arch === "x86_64")).toBe(true);
  });

  it("dkms 3.0 on RHEL with a weak install in the old format", () => {
    const { entries } = parseDkmsStatus(fixture("rhel-9-weak.txt"));
    expect(entries.map((x) => [x.format, x.state, x.weakFrom])).toEqual([
      ["dkms2", "installed-weak", "5.14.0-362.8.1.el9_3.x86_64"],
      ["dkms3", "installed", null],
    ]);
  });

  it("a paste with a prompt, warnings, errors and a blank line", () => {
    const { entries, problems } = parseDkmsStatus(fixture("pasted-with-noise.txt"));
    expect(entries.map((x) => `${x.line}:${x.module}:${x.state}`)).toEqual(["4:v4l2loopback:installed", "7:nvidia:broken", "8:evdi:installed"]);
    expect(problems.map((p) => p.line)).toEqual([1, 2, 5, 6]);
    expect(problems[3].reason).toContain('unknown state "exploded"');
  });

  it("CRLF line endings and an empty paste", () => {
    expect(parseDkmsStatus("zfs/2.2.4: added\r\nzfs/2.2.4, 6.8.0-45-generic, x86_64: built\r\n").entries.map((x) => x.line)).toEqual([1, 2]);
    expect(parseDkmsStatus("")).toEqual({ entries: [], problems: [] });
    expect(parseDkmsStatus("\n\n  \n")).toEqual({ entries: [], problems: [] });
  });
});

describe("modulesToCheck", () => {
  it("takes, per module, the newest version DKMS holds, as autoinstall does", () => {
    const out = modulesToCheck(parseDkmsStatus(fixture("dkms3-ubuntu-2404.txt")).entries);
    expect(out).toEqual([
      { module: "nvidia", version: "535.183.01", arch: "x86_64", otherVersions: [], states: ["installed"], lines: [1] },
      { module: "zfs", version: "2.2.4", arch: "x86_64", otherVersions: ["2.2.2"], states: ["installed"], lines: [2, 3] },
      { module: "virtualbox", version: "7.0.16", arch: "x86_64", otherVersions: [], states: ["built"], lines: [5] },
      { module: "openrazer-driver", version: "3.5.1", arch: null, otherVersions: [], states: ["added"], lines: [6] },
    ]);
  });

  it("orders versions as versions, not as text", () => {
    const { entries } = parseDkmsStatus("zfs/2.2.10: added\nzfs/2.2.9, 6.8.0-45-generic, x86_64: installed\nzfs/2.2.10-rc1: added");
    expect(modulesToCheck(entries)[0]).toMatchObject({ version: "2.2.10", otherVersions: ["2.2.10-rc1", "2.2.9"], states: ["added"] });
  });

  it("leaves the arch open when the lines disagree", () => {
    const { entries } = parseDkmsStatus("zfs/2.2.4, 6.8.0-45-generic, x86_64: installed\nzfs/2.2.4, 6.8.0-45-generic, aarch64: installed");
    expect(modulesToCheck(entries)[0].arch).toBeNull();
  });
});
