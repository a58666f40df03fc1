import { describe, expect, it } from "vitest";
import { decodeVersionCellStates, forEachKernelId, onlyArch } from "@/lib/services/version-cell-states";

describe("decodeVersionCellStates", () => {
  const text = "aarch64|101p 102e,x86_64|101p 102f 117s";

  it.each([
    [
      "all arches",
      null,
      [
        { kernelId: 101, arch: "aarch64", status: "pass" },
        { kernelId: 102, arch: "aarch64", status: "error" },
        { kernelId: 101, arch: "x86_64", status: "pass" },
        { kernelId: 102, arch: "x86_64", status: "fail" },
        { kernelId: 117, arch: "x86_64", status: "skip" },
      ],
    ],
    ["one arch", "aarch64", [{ kernelId: 101, arch: "aarch64", status: "pass" }, { kernelId: 102, arch: "aarch64", status: "error" }]],
    ["an arch the version has no cells for", "s390x", []],
  ])("%s", (_, arch, expected) => {
    expect(decodeVersionCellStates(text, arch)).toEqual(expected);
  });

  it("reads an empty row as no cells", () => {
    expect(decodeVersionCellStates("")).toEqual([]);
  });

  it.each([["x86_64 101p"], ["x86_64|101x"], ["x86_64|p"], ["x86_64|-3f"], ["|101p"], ["x86_64|"], ["x86_64|101p 102"], ["x86_64|101p,aarch64|"]])("refuses %j rather than guessing", (bad) => {
    expect(() => decodeVersionCellStates(bad)).toThrow(/VersionCellStates/);
  });
});

describe("forEachKernelId", () => {
  const text = "aarch64|101p 102e,x86_64|101p 102f 117s,x86_64_v2|9p";

  it.each([
    [null, [101, 102, 101, 102, 117, 9]],
    ["x86_64", [101, 102, 117]],
    ["aarch64", [101, 102]],
    ["x86", []],
    ["s390x", []],
  ])("visits the kernels decodeVersionCellStates gives, arch %s", (arch, ids) => {
    const seen: number[] = [];
    expect(forEachKernelId(text, arch, (id) => seen.push(id))).toBe(ids.length);
    expect(seen).toEqual(ids);
    expect(seen).toEqual(decodeVersionCellStates(text, arch).map((e) => e.kernelId));
  });

  it("reads an empty row as no kernels", () => {
    expect(forEachKernelId("", null, () => {})).toBe(0);
  });

  it.each([["x86_64 101p"], ["x86_64|p"], ["|101p"], ["x86_64 101p,arm64|5p"]])("refuses %j", (bad) => {
    expect(() => forEachKernelId(bad, null, () => {})).toThrow(/VersionCellStates/);
  });
});

describe("onlyArch", () => {
  const text = "aarch64|101p 102e,x86_64|101p 102f 117s,x86_64_v2|9p";
  it.each([
    ["aarch64", "aarch64|101p 102e"],
    ["x86_64", "x86_64|101p 102f 117s"],
    ["x86_64_v2", "x86_64_v2|9p"],
    ["x86", ""],
  ])("keeps the group of %s, which decodes as the whole row filtered", (arch, part) => {
    expect(onlyArch(text, arch)).toBe(part);
    expect(decodeVersionCellStates(part)).toEqual(decodeVersionCellStates(text, arch));
  });
});
