import { expect, test } from "@playwright/test";

/**
 * What a page sends (issue 11: server CPU per page follows its markup, and the RSC payload repeats
 * what the server components render). The data-source note's provenance lists travel as strings
 * to a client component, not as one RSC element per line, and the pages stay within a bound.
 */
function rscPayload(html: string): string {
  let out = "";
  for (const m of html.matchAll(/self\.__next_f\.push\((\[[\s\S]*?\])\)<\/script>/g)) {
    const chunk = JSON.parse(m[1]) as [number, string?];
    if (typeof chunk[1] === "string") out += chunk[1];
  }
  return out;
}

test("the data-source note's provenance lines are strings in the RSC payload, rendered as list items", async ({ request }) => {
  const html = await (await request.get("/sources")).text();
  const rsc = rscPayload(html);
  expect(rsc.length).toBeGreaterThan(1000);
  // the lines are there, as list items in the HTML and as strings in the payload
  expect(html).toMatch(/<li>linux-headers-[^<]+<\/li>/);
  expect(rsc).toContain('"linux-headers-');
  // but not as one element per line
  expect(rsc).not.toMatch(/\["\$","li","linux-headers-/);
});

test("module and landing pages count each source's packages and link to /sources instead of listing them", async ({ page, request }) => {
  for (const url of ["/", "/modules/v4l2loopback"]) {
    const html = await (await request.get(url)).text();
    expect(html, url).not.toMatch(/<li>linux-headers-/);
    expect(html, url).toMatch(/<a [^>]*href="\/sources#source-[^"]+"[^>]*>Provenance: \d+ module packages, \d+ kernel header packages<\/a>/);
  }
  await page.goto("/modules/v4l2loopback");
  await page.getByRole("link", { name: /^Provenance: \d+ module packages/ }).first().click();
  await expect(page).toHaveURL(/\/sources#source-/);
  await expect(page.getByRole("heading", { name: "Data sources" })).toBeVisible();
  await expect(page.locator("li", { hasText: /^linux-headers-/ }).first()).toBeVisible();
});

test("incident rows travel as a few strings each, not as the row's elements", async ({ request }) => {
  const html = await (await request.get("/regressions")).text();
  expect(html).toMatch(/data-testid="incident-table"[\s\S]*<a class="text-emerald-800 underline" href="\/regressions\/\d+">/);
  const rsc = rscPayload(html);
  expect(rsc).toMatch(/"firstBad":"/);
  expect(rsc).not.toMatch(/\["\$","tr","\d+"/);
});

// Before issue 11's work: 382, 139 and 321 KB on the demo (the module page 89 KB before its provenance lists moved to
// /sources, about 45 KB after); the bounds leave room for the sources other specs add.
test("landing and module pages stay within their size bounds", async ({ request }) => {
  for (const [url, maxKb] of [
    ["/", 355],
    ["/modules/v4l2loopback", 80],
    ["/regressions", 270],
  ] as const) {
    const body = await (await request.get(url)).text();
    expect(body.length / 1024, url).toBeLessThan(maxKb);
  }
});

test("links do not prefetch their targets (each prefetch is a server render); a click still navigates in the page", async ({ page }) => {
  const rscRequests: string[] = [];
  page.on("request", (r) => {
    const h = r.headers();
    if (h.rsc !== undefined || h["next-router-prefetch"] !== undefined || /[?&]_rsc=/.test(r.url())) rscRequests.push(r.url());
  });
  for (const path of ["/", "/upcoming", "/regressions", "/modules/v4l2loopback"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  // 19–48 requests per page view before AppLink (app/components/AppLink.tsx)
  expect(rscRequests).toEqual([]);

  await page.goto("/");
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  await page.getByRole("navigation").getByRole("link", { name: "Regressions", exact: true }).click();
  await expect(page).toHaveURL(/\/regressions$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // a client-side navigation: one payload request, and the document was not reloaded
  expect(rscRequests.length).toBe(1);
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
});

test("build files come from the front, compressed once (brotli, which Next's own static serving never sends), immutable", async ({ request }) => {
  const html = await (await request.get("/")).text();
  const files = [...new Set(html.match(/\/_next\/static\/[^"]+\.(?:js|css)/g) ?? [])];
  expect(files.length).toBeGreaterThan(3);
  for (const f of files) {
    const res = await request.get(f, { headers: { "accept-encoding": "br" } });
    expect(res.status(), f).toBe(200);
    expect(res.headers()["content-encoding"], f).toBe("br");
    expect(res.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(res.headers()["x-content-type-options"]).toBe("nosniff");
    expect((await res.body()).length).toBeGreaterThan(0);
  }
  // a name the build does not have still gets Next's 404
  expect((await request.get("/_next/static/chunks/no-such-file.js")).status()).toBe(404);
});

test("while a clicked link's page loads, a bar at the top says so", async ({ page }) => {
  await page.goto("/");
  // hold the page's payload back for a moment, as a busy server would
  await page.route(/\/regressions\?_rsc=/, async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.getByRole("navigation").getByRole("link", { name: "Regressions", exact: true }).click();
  const bar = page.getByRole("status", { name: "Loading the page" });
  await expect(bar).toBeVisible();
  await expect(page).toHaveURL(/\/regressions$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(bar).toHaveCount(0);
});
