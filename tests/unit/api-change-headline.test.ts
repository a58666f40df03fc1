import { describe, expect, it } from "vitest";
import { apiChangeHeadline, headlinePair } from "@/lib/domain/api-change-headline";
import { compareKernels, kernelLine, seriesOf } from "@/lib/domain/kernel-version";

const order = { compare: compareKernels, series: seriesOf, line: kernelLine };
const use = (module: string, version: string, via = "imports") => ({ module, version, via });

describe("headlinePair", () => {
  it.each([
    { kernels: [], want: null },
    { kernels: ["6.1.0-56-amd64"], want: null },
    { kernels: ["6.1.0-56-amd64", "6.1.0-57-amd64"], want: { from: "6.1.0-56-amd64", to: "6.1.0-57-amd64" } },
    {
      kernels: ["7.3-rc7-amd64", "6.1.0-56-amd64", "7.2.13+deb14-amd64", "7.2.6+deb13-amd64", "6.12.117+deb12-amd64"],
      want: { from: "7.2.13+deb14-amd64", to: "7.3-rc7-amd64" },
    },
    { kernels: ["6.1.0-56-amd64", "6.12.107+deb12-amd64", "6.12.117+deb12-amd64"], want: { from: "6.1.0-56-amd64", to: "6.12.117+deb12-amd64" } },
    // another flavour is another line: no comparison across lines
    { kernels: ["6.1.0-56-rt-amd64", "6.12.107+deb12-amd64"], want: null },
    // the upcoming kernel of the newest series heads it, as the early warning does; from a released kernel
    {
      kernels: ["7.2.13+deb14-amd64", "7.3-rc7-amd64", "7.3.4+deb13-amd64", "7.3-rc2-amd64", "6.12.117+deb12-amd64"],
      want: { from: "7.2.13+deb14-amd64", to: "7.3-rc7-amd64" },
    },
    // an rc of an older series is no longer upcoming news
    { kernels: ["6.12-rc3-amd64", "6.1.0-56-amd64", "7.3.4+deb13-amd64", "7.2.13+deb14-amd64"], want: { from: "7.2.13+deb14-amd64", to: "7.3.4+deb13-amd64" } },
  ])("$kernels → $want", ({ kernels, want }) => {
    expect(headlinePair(kernels, { ...order, upcoming: (k) => /-rc\d+/.test(k) })).toEqual(want);
  });
});

describe("apiChangeHeadline", () => {
  const base = { from: "7.2.13+deb14-amd64", to: "7.3-rc7-amd64", linux: "7.3-rc7" };
  it.each([
    { name: "nothing removed", removed: 0, syms: [], text: "Linux 7.3-rc7 removes no exported symbol", modules: [] },
    { name: "removed, unused", removed: 214, syms: [{ name: "a", stillCallable: false, usedBy: [] }], text: "Linux 7.3-rc7 removes 214 exported symbols; no module uses them", modules: [] },
    { name: "one symbol", removed: 1, syms: [{ name: "strlcpy", stillCallable: false, usedBy: [use("nat-rtsp", "0.7+5.3", "calls")] }], text: "Linux 7.3-rc7 removes 1 exported symbol; 1 module uses it", modules: ["nat-rtsp"] },
    {
      name: "modules counted once across versions and symbols; emitted and still-callable uses do not count",
      removed: 214,
      syms: [
        { name: "strlcpy", stillCallable: false, usedBy: [use("v4l2loopback", "0.12.7", "calls"), use("nat-rtsp", "0.7+5.3")] },
        { name: "__class_create", stillCallable: false, usedBy: [use("v4l2loopback", "0.12.5")] },
        { name: "kmalloc_trace", stillCallable: false, usedBy: [use("zfs", "2.1.11", "emitted")] },
        { name: "vmalloc", stillCallable: true, usedBy: [use("evdi", "1.12.0")] },
      ],
      text: "Linux 7.3-rc7 removes 214 exported symbols; 2 modules use them",
      modules: ["nat-rtsp", "v4l2loopback"],
    },
  ])("$name", ({ removed, syms, text, modules }) => {
    const h = apiChangeHeadline({ ...base, removed, removedSymbols: syms });
    expect(h.text).toBe(text);
    expect(h.modules.map((m) => m.module)).toEqual(modules);
  });

  it("keeps each module's versions and symbols, sorted; names the kernel string without a Linux version", () => {
    const h = apiChangeHeadline({
      from: "a",
      to: "6.12.107+deb12-amd64",
      removed: 3,
      removedSymbols: [
        { name: "strlcpy", stillCallable: false, usedBy: [use("v4l2loopback", "0.12.7", "calls")] },
        { name: "__class_create", stillCallable: false, usedBy: [use("v4l2loopback", "0.12.5")] },
      ],
    });
    expect(h.text).toBe("Linux 6.12.107+deb12-amd64 removes 3 exported symbols; 1 module uses them");
    expect(h.modules).toEqual([{ module: "v4l2loopback", versions: ["0.12.5", "0.12.7"], symbols: ["__class_create", "strlcpy"] }]);
  });
});
