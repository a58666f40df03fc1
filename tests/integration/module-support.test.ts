import { describe, expect, it } from "vitest";
import { getModuleSupport } from "@/lib/services/get-module-support";
import { listModules } from "@/lib/services/list-modules";
import { recordResults } from "@/lib/services/record-results";
import { result, uniqueAbi, uniqueTag } from "./helpers";

const tag = uniqueTag();
const abi = uniqueAbi();
const K510 = `5.10.0-${abi}-amd64`;
const K61 = `6.1.0-${abi}-amd64`;
const K612 = `6.12.${abi % 90000}+deb13-amd64`;
const RC = `7.3-rc7-amd64`;

describe("orphaned modules: the module list and page say so", () => {
  it("a module that fails on every kernel built here is orphaned, with its errors linked to signatures", async () => {
    const iet = `iet-${tag}`;
    const fail = (version: string, kernel: string, errorLine: string) => result({ module: iet, moduleVersion: version, kernel, status: "fail", errorLine });
    await recordResults({
      run: { source: `support-${tag}`, id: "1" },
      results: [
        fail("1.4.19", K510, "error: field 'rx_hash' has incomplete type"),
        fail("1.4.19", K61, "error: field 'rx_hash' has incomplete type"),
        fail("1.4.20", K510, "error: 'PAGE_CACHE_SHIFT' undeclared (first use in this function)"),
        fail("1.4.20", K612, "error: 'PAGE_CACHE_SHIFT' undeclared (first use in this function)"),
        result({ module: iet, moduleVersion: "1.4.20", kernel: RC, status: "fail", errorLine: "error: 'PAGE_CACHE_SHIFT' undeclared" }),
      ],
    });
    const [m] = await listModules({ q: iet });
    expect(m.support).toMatchObject({ state: "orphaned", version: "1.4.20", lastKernel: null, failingSeries: ["5.10", "6.12"], builtSeries: { oldest: "5.10", newest: "6.12" } });
    expect(m.support.sentence).toContain("the last kernel it built on is older than anything built here");
    const detail = await getModuleSupport(iet);
    expect(detail.errors).toHaveLength(1);
    expect(detail.errors[0].signature?.symbol).toBe("PAGE_CACHE_SHIFT");
    expect(detail.errors[0].kernels.map((k) => k.version)).toEqual([K510, K612]);
  });

  it("a module that passes on an older series and fails on the newest one is behind, not orphaned", async () => {
    const mod = `behind-${tag}`;
    await recordResults({
      run: { source: `support-${tag}`, id: "2" },
      results: [
        result({ module: mod, kernel: K61, status: "pass" }),
        result({ module: mod, kernel: K612, status: "fail", errorLine: "error: implicit declaration of function 'strlcpy'" }),
      ],
    });
    const [m] = await listModules({ q: mod });
    expect(m.support).toMatchObject({ state: "behind", lastKernel: K61, failingSeries: ["6.12"] });
  });
});
