import { describe, expect, it } from "vitest";
import { moduleListState, type ModuleStateCell } from "../../lib/domain/module-state";
import { isGenericFlavour, isGenericLine, kernelLine } from "../../lib/domain/kernel-version";
import type { Status } from "../../lib/domain/status";

const cell = (kernel: string, status: Status, extra: Partial<ModuleStateCell> = {}): ModuleStateCell => ({
  kernel,
  series: kernel.startsWith("6.12") ? "6.12" : kernel.startsWith("6.1") ? "6.1" : kernel.split(".").slice(0, 2).join("."),
  rc: null,
  prerelease: false,
  status,
  ...extra,
});

describe("moduleListState: the newest version on the newest kernel of each series", () => {
  it.each<[string, ModuleStateCell[], string, string]>([
    // issue 12: v4l2loopback read "✗ 6 / 28" although its newest version builds everywhere
    ["newest version builds everywhere", [cell("6.1.0-55-amd64", "pass"), cell("6.1.0-56-amd64", "pass"), cell("6.12.107+deb12-amd64", "pass")], "pass", "6.1:pass 6.12:pass"],
    // issue 12: 14 environment errors read "0 / 14", like a healthy module
    ["only environment errors", [cell("6.1.0-56-amd64", "error"), cell("6.12.107+deb12-amd64", "error")], "no-verdict", "6.1:error 6.12:error"],
    // issue 12: zfs read "0 / 10" although 2.1.11 declines 6.12
    ["declines the newest series", [cell("6.1.0-56-amd64", "pass"), cell("6.12.107+deb12-amd64", "skip")], "pass", "6.1:pass 6.12:skip"],
    ["fails the newest series", [cell("6.1.0-56-amd64", "pass"), cell("6.12.107+deb12-amd64", "fail")], "mixed", "6.1:pass 6.12:fail"],
    ["the newest kernel of a series decides", [cell("6.1.0-55-amd64", "fail"), cell("6.1.0-56-amd64", "pass")], "pass", "6.1:pass"],
    ["an older kernel's pass does not hide the newest one's failure", [cell("6.1.0-55-amd64", "pass"), cell("6.1.0-56-amd64", "fail")], "fail", "6.1:fail"],
    ["rt and cloud flavours are left out", [cell("6.1.0-56-amd64", "pass"), cell("6.1.0-57-rt-amd64", "fail"), cell("6.1.0-57-cloud-amd64", "fail")], "pass", "6.1:pass"],
    ["upcoming kernels are left out", [cell("6.1.0-56-amd64", "pass"), cell("7.3-amd64", "fail", { series: "7.3", prerelease: true })], "pass", "6.1:pass"],
    ["arches of one kernel fold worst-first", [cell("6.1.0-56-amd64", "pass"), cell("6.1.0-56-amd64", "fail")], "fail", "6.1:fail"],
    ["no results", [], "no-verdict", ""],
  ])("%s", (_name, cells, state, series) => {
    const s = moduleListState({ version: "1.0", cells });
    expect(s.state).toBe(state);
    expect(s.series.map((x) => `${x.series}:${x.status}`).join(" ")).toBe(series);
  });
});

describe("isGenericFlavour: the one flavour rule, on kernelLine", () => {
  it.each<[string, boolean]>([
    ["6.1.0-56-amd64", true],
    ["6.12.107+deb12-amd64", true],
    ["6.1.0-56-rt-amd64", false],
    ["6.1.0-56-cloud-amd64", false],
    ["6.12.107+deb12-cloud-arm64", false],
    ["6.8.0-45-generic", true],
    ["6.8.0-45-lowlatency", false],
    ["6.8.0-1015-aws", false],
    ["6.9.7-200.fc40.x86_64", true],
    ["6.9", true],
  ])("%s → %s", (kernel, generic) => {
    expect(isGenericFlavour(kernel)).toBe(generic);
    expect(isGenericLine(kernelLine(kernel))).toBe(generic);
  });
});
