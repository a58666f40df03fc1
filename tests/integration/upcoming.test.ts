import { describe, expect, it } from "vitest";
import { GET as upcomingAtom } from "@/app/api/v1/upcoming.atom/route";
import { GET as upcomingJson } from "@/app/api/v1/upcoming/route";
import { GET as kernelGet } from "@/app/api/v1/kernels/[version]/route";
import { checkModules } from "@/lib/services/check/check-modules";
import { recordResults } from "@/lib/services/record-results";
import { get, GCC_STRLCPY_LOG, result, uniqueAbi, uniqueTag } from "./helpers";

const tag = uniqueTag();
const abi = uniqueAbi() % 90000;
// Series of their own (9.8 released, 9.9 upcoming), so other files' kernels cannot be the base.
const BASE_OLD = `9.8.${abi}+deb13-amd64`;
const BASE = `9.8.${abi + 1}+deb13-amd64`;
const RC = `9.9-rc${(abi % 900) + 1}-amd64`;
const EXP = `9.9.0-${abi}-amd64`;
const a = `upa-${tag}`;
const b = `upb-${tag}`;
const c = `upc-${tag}`;

describe("upcoming kernels", () => {
  it("lists, per upcoming kernel, the modules that build on the last released series and break on it", async () => {
    await recordResults({
      run: { source: `upcoming-${tag}`, id: "1" },
      kernels: [
        { kernel: RC, upstreamVersion: RC.replace("-amd64", ""), releasedAt: "2030-05-01", releasedAtSource: "changelog.Debian.gz: linux (9.9~rc-1~exp1) experimental" },
        { kernel: EXP, prerelease: true },
      ],
      results: [
        result({ module: a, moduleVersion: "1.0", kernel: BASE_OLD }),
        result({ module: a, moduleVersion: "1.0", kernel: BASE }),
        result({ module: a, moduleVersion: "1.0", kernel: RC, status: "fail", log: GCC_STRLCPY_LOG }),
        result({ module: b, moduleVersion: "2.0", kernel: BASE }),
        result({ module: b, moduleVersion: "2.0", kernel: RC }),
        result({ module: c, moduleVersion: "3.0", kernel: BASE, status: "fail", errorLine: "error: unknown type name 'x'" }),
        result({ module: c, moduleVersion: "3.0", kernel: EXP, status: "fail", errorLine: "error: unknown type name 'x'" }),
        result({ module: a, moduleVersion: "1.0", kernel: EXP }),
      ],
    });
    const res = await get(upcomingJson, "/api/v1/upcoming");
    expect(res.status).toBe(200);
    const { kernels } = (await res.json()) as { kernels: { kernel: string; headline: string; baseSeries: string; modules: { module: string; outcome: string; signature: { symbol: string } | null }[] }[] };
    const rc = kernels.find((k) => k.kernel === RC)!;
    expect(rc.baseSeries).toBe("9.8");
    const mine = rc.modules.filter((m) => m.module.endsWith(tag));
    expect(mine.map((m) => [m.module, m.outcome])).toEqual([
      [a, "breaks"],
      [b, "builds"],
    ]);
    expect(mine[0].signature?.symbol).toBe("strlcpy");
    expect(rc.headline).toMatch(new RegExp(`^On Linux ${RC.replace("-amd64", "")}, \\d+ of the \\d+ modules? that build on 9\\.8 breaks?`));
    // The experimental kernel flagged prerelease is upcoming too, though its string says no rc.
    const exp = kernels.find((k) => k.kernel === EXP)!;
    expect(exp.modules.find((m) => m.module === a)).toMatchObject({ outcome: "builds" });
    expect(exp.modules.some((m) => m.module === c)).toBe(false);

    const atom = await get(upcomingAtom, "/api/v1/upcoming.atom");
    expect(atom.headers.get("content-type")).toContain("application/atom+xml");
    const xml = await atom.text();
    expect(xml).toContain(`${a} 1.0 breaks on Linux ${RC.replace("-amd64", "")}`);
    expect(xml).toContain("early warning");
  });

  it("the check answers for an rc kernel like any other and says it is a pre-release", async () => {
    const out = await checkModules({ kernel: RC, modules: [`${a}@1.0`, `${b}@2.0`] });
    expect(out.kernel).toMatchObject({ version: RC, prerelease: true, releasedAt: "2030-05-01T00:00:00.000Z" });
    expect(out.modules.map((m) => m.verdict)).toEqual(["broken", "works"]);
    expect((await checkModules({ kernel: EXP, modules: [`${a}@1.0`] })).kernel.prerelease).toBe(true);
    expect((await checkModules({ kernel: BASE, modules: [`${a}@1.0`] })).kernel.prerelease).toBe(false);
  });

  it("the check, the kernel API and the upcoming list agree on which kernels are upcoming (one rule: isUpcoming)", async () => {
    const listed = new Set(((await (await get(upcomingJson, "/api/v1/upcoming")).json()) as { kernels: { kernel: string }[] }).kernels.map((k) => k.kernel));
    for (const k of [RC, EXP, BASE]) {
      const check = (await checkModules({ kernel: k, modules: [`${a}@1.0`] })).kernel.prerelease;
      const api = ((await (await get(kernelGet, `/api/v1/kernels/${encodeURIComponent(k)}`, { version: k })).json()) as { kernel: { upcoming: boolean } }).kernel.upcoming;
      expect({ k, check, api, listed: listed.has(k) }).toEqual({ k, check: k !== BASE, api: k !== BASE, listed: k !== BASE });
    }
  });
});
