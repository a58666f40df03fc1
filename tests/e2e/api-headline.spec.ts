import { expect, test } from "@playwright/test";

/**
 * The landing page's API headline and the committed demo snapshots (data/demo/kernel-api, loaded at
 * first start). 7.3-rc7 comes from the sid build environment; no spec imports it, so what the
 * compare API says about it is the demo's data alone.
 */
test.describe("kernel API headline on the landing page", () => {
  test("names the newest upcoming kernel's removed exports and links to the comparison", async ({ page }) => {
    await page.goto("/");
    const h = page.getByTestId("api-change-headline");
    await expect(h).toContainText(/Linux 7\.3-rc7 removes \d+ exported symbols?; (no module uses (it|them)|\d+ modules? uses? (it|them))/);
    await h.getByRole("link", { name: "Compare →" }).click();
    await expect(page).toHaveURL(/\/kernels\/compare\?from=7\.2\.13%2Bdeb14-amd64&to=7\.3-rc7-amd64/);
    await expect(page.getByTestId("compare-headline")).toContainText(/7\.3-rc7-amd64 removes \d+ exported symbols of 7\.2\.13\+deb14-amd64/);
  });

  test("the demo's snapshots alone show strlcpy removed from 6.1.0-56 by 7.3-rc7, used by v4l2loopback 0.12.7", async ({ request }) => {
    const res = await request.get("/api/v1/kernels/compare?from=6.1.0-56-amd64&to=7.3-rc7-amd64&used=1");
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { from: { sourceDir: string }; to: { sourceDir: string }; removedSymbols: { name: string; usedBy: { module: string; version: string }[] }[] };
    expect(body.to.sourceDir).toMatch(/^data\/demo\/kernel-api\/7\.3-rc7-amd64\.txt\.gz \(linux-headers-7\.3/);
    expect(body.removedSymbols.find((s) => s.name === "strlcpy")?.usedBy).toContainEqual(expect.objectContaining({ module: "v4l2loopback", version: "0.12.7" }));
  });
});
