import { beforeAll, describe, expect, it } from "vitest";
import { xml2js, type Element } from "xml-js";
import { GET as badgeGet } from "@/app/api/v1/badge/[module]/[target]/route";
import { GET as watchRoute } from "@/app/api/v1/watch.atom/route";
import type { IngestResult } from "@/lib/schemas/ingest";
import { checkModules } from "@/lib/services/check/check-modules";
import { listRegressions } from "@/lib/services/regressions/list-regressions";
import { recordResults } from "@/lib/services/record-results";
import { get, result, uniqueAbi, uniqueTag } from "./helpers";

/**
 * Issue 10, "one rule, one place": the same data gives one answer whoever asks. Each case here was a
 * divergence on the old code (two notions of kernel line, two notions of cell state).
 */
const tag = uniqueTag();
const LINE = `or-line-${tag}`;
const FEED = `or-feed-${tag}`;
const abi = uniqueAbi();
const A = `6.1.0-${abi}-amd64`;
const A_CLOUD = `6.1.0-${abi}-cloud-amd64`;
const B = `6.1.0-${abi + 9}-amd64`;
const U = `6.8.0-${abi}-generic`;
const at = (d: string) => `${d}T12:00:00Z`;
const r = (module: string, kernel: string, status: IngestResult["status"], on: string, extra: Partial<IngestResult> = {}) =>
  result({ module, moduleVersion: "2.13.9", kernel, status, finishedAt: at(on), ...(status === "fail" ? { errorLine: `error: 'x' undeclared (${kernel})` } : {}), ...extra });

beforeAll(async () => {
  // As lttng 2.13.9 in the demo: passes on A, fails on A's cloud flavour and on the later B.
  await recordResults({ run: { source: `one-rule-${tag}`, id: "line" }, results: [r(LINE, A, "pass", "2026-01-01"), r(LINE, A_CLOUD, "fail", "2026-01-01"), r(LINE, B, "fail", "2026-01-02")] });
  // A build pass with a load failure, then a later run that only builds, and passes.
  await recordResults({
    run: { source: `one-rule-${tag}`, id: "feed-1" },
    results: [r(FEED, U, "pass", "2026-02-01", { stage: "build" }), r(FEED, U, "fail", "2026-02-01", { stage: "load" })],
  });
  await recordResults({ run: { source: `one-rule-${tag}`, id: "feed-2" }, results: [r(FEED, U, "pass", "2026-02-02", { stage: "build" })] });
});

describe("one kernel line: the check's 'failing since' is the incident's first bad kernel", () => {
  it("walks the debian amd64 line, not every Debian kernel", async () => {
    const { items } = await listRegressions({ module: LINE, limit: 100, offset: 0 });
    const amd64 = items.filter((i) => i.lineLabel === "debian amd64");
    expect(amd64.map((i) => [i.lastGoodKernel, i.firstBadKernel])).toEqual([[A, B]]);
    const check = await checkModules({ kernel: B, modules: [`${LINE}@2.13.9`] });
    expect(check.modules[0].verdict).toBe("broken");
    expect(check.modules[0].since).toEqual({ kernel: amd64[0].firstBadKernel, lastPass: amd64[0].lastGoodKernel });
    expect(check.modules[0].reason).not.toContain("failing since");
  });
});

describe("one cell-state rule: the watch feed turns green exactly when the badge does", () => {
  it("a repeated build pass does not turn a cell green whose load fails", async () => {
    const feed = await (await get(watchRoute, `/api/v1/watch.atom?module=${FEED}&kernel=${U}`)).text();
    const doc = xml2js(feed, { compact: false }) as Element;
    const entries = (doc.elements!.find((e) => e.name === "feed")!.elements ?? []).filter((e) => e.name === "entry");
    const titles = entries.map((e) => {
      const title = e.elements!.find((c) => c.name === "title")!;
      return String(title.elements![0].cdata ?? title.elements![0].text);
    });
    expect(titles).toEqual([`✗ ${FEED} 2.13.9 fails on ${U} (x86_64)`]);
    const res = await badgeGet(new Request(`http://x/api/v1/badge/${FEED}/${U}.svg`), { params: Promise.resolve({ module: FEED, target: `${U}.svg` }) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`${U}: broken`);
  });
});
