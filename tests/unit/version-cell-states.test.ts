import { describe, expect, it } from "vitest";
import { decodeVersionCellStates } from "@/lib/services/version-cell-states";

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

  it.each([["x86_64 101p"], ["x86_64|101x"], ["x86_64|p"], ["x86_64|-3f"], ["|101p"]])("refuses %j rather than guessing", (bad) => {
    expect(() => decodeVersionCellStates(bad)).toThrow(/VersionCellStates/);
  });
});
