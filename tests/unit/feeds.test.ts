import { describe, expect, it } from "vitest";
import { renderAtom } from "../../lib/http/atom";
import { regressionAtom, upcomingAtom, watchAtom } from "../../lib/http/feeds";
import { publicUrl } from "../../lib/http/public-url";
import type { RegressionFeedEntry, WatchFeedEntry } from "../../lib/schemas/feeds";
import type { UpcomingKernelReport } from "../../lib/services/upcoming/list-upcoming";

// The feed services return typed entries; the transport renders them. Every link and id must sit
// under the one public base URL (here with a path prefix), whatever host the request named.
const url = publicUrl({ url: "http://localhost:3000/api/v1/regressions.atom", headers: new Headers({ host: "evil.example" }) }, { MODCOMPAT_PUBLIC_URL: "https://example.org/modcompat/" });
const at = new Date("2026-11-01T00:00:00Z");
const hostile = "</code><script>alert(1)</script> ]]> &";

const incident: RegressionFeedEntry = {
  event: "opened",
  at,
  incidentId: 7,
  module: { slug: "zfs", name: "OpenZFS" },
  arch: "x86_64",
  lineLabel: "debian amd64",
  lastGoodKernel: "6.1.0-55-amd64",
  firstBadKernel: "6.1.0-56-amd64",
  errorLine: hostile,
  signature: null,
  affectedVersions: ["2.2.2"],
  fixedIn: null,
  fixedInKernel: null,
};
const change: WatchFeedEntry = { resultId: 3, at, version: "2.2.2", kernel: "6.12", arch: "x86_64", verdict: "fail", previous: "pass", errorLine: hostile, logUrl: "https://ci.example/log?a=1&b=2" };
const upcoming = {
  kernel: "7.3-rc7",
  name: "Linux 7.3-rc7",
  headline: "on Linux 7.3-rc7, 1 of 1 modules break",
  baseSeries: "7.2",
  lastResultAt: at,
  releasedAt: null,
  modules: [{ module: "zfs", version: "2.2.2", basePass: "7.2.1", outcome: "breaks", errorLine: hostile, signature: null }],
} as unknown as UpcomingKernelReport;

const links = (xml: string) => [...xml.matchAll(/<id>([^<]*)<\/id>|href="([^"]*)"/g)].map((m) => m[1] ?? m[2]).filter((u) => !u.startsWith("https://ci.example/"));

describe("Atom rendering in the transport", () => {
  it.each([
    ["regressions", renderAtom(regressionAtom({ module: { slug: "zfs", name: "OpenZFS" }, entries: [incident, { ...incident, event: "fixed", fixedIn: "2.2.3" }] }, url))],
    ["watch", renderAtom(watchAtom({ module: { slug: "zfs", name: "OpenZFS" }, watch: { version: "2.2", kernel: "6.12" }, entries: [change] }, url))],
    ["upcoming", renderAtom(upcomingAtom([upcoming], url))],
  ])("%s: every id and link is under the public URL, error lines arrive as text", (_name, xml) => {
    const all = links(xml);
    expect(all.length).toBeGreaterThan(3);
    for (const u of all) expect(u).toMatch(/^https:\/\/example\.org\/modcompat\//);
    expect(xml).not.toContain("evil.example");
    expect(xml).not.toContain("<script>");
    expect(xml).toContain("&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp;");
  });
});
