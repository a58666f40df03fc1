import { expect, test } from "@playwright/test";

/**
 * Issue 11, defect 6, against the production server: every route kind carries the security
 * headers, pages carry a nonce CSP that Next puts on its scripts, and pages still hydrate and
 * work under it (no CSP violation in the console).
 */
const KINDS: Record<string, string> = {
  home: "/",
  "module page": "/modules/v4l2loopback?expand=6.12",
  "check page": "/check",
  "api docs": "/api-docs",
  "not found page": "/no/such/page",
  "JSON API": "/api/v1/modules",
  "health": "/api/v1/health",
  "OpenAPI": "/api/v1/openapi.json",
  "Atom feed": "/api/v1/regressions.atom",
  "SVG badge": "/api/v1/badge/v4l2loopback/6.12.svg?version=0.12.7",
  "refused URL": "/modules/%E0%A4%A",
};

test("security headers on every route kind, static files included", async ({ request }) => {
  const html = await (await request.get("/")).text();
  const chunk = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
  expect(chunk, "a static chunk in the home page").toBeTruthy();
  for (const [kind, url] of Object.entries({ ...KINDS, "static chunk": chunk! })) {
    const res = await request.get(url, { maxRedirects: 0 });
    expect(res.status(), kind).toBeLessThan(500);
    const h = res.headers();
    expect(h["content-security-policy"], kind).toContain("frame-ancestors 'none'");
    expect(h["x-content-type-options"], kind).toBe("nosniff");
    expect(h["referrer-policy"], kind).toBeTruthy();
    expect(h["permissions-policy"], kind).toBeTruthy();
    expect(h["strict-transport-security"], `${kind}: no HSTS over http`).toBeUndefined();
  }
});

test("pages carry a per-request nonce on every script and still work under the CSP", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(m.text())) violations.push(m.text());
  });
  const res = await page.goto("/check");
  const csp = res!.headers()["content-security-policy"];
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  const scripts = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.every((n) => n === nonce), `every script has this request's nonce`).toBe(true);
  // Client navigation works only if React hydrated under the CSP.
  await page.getByRole("link", { name: "Regressions" }).first().click();
  await expect(page).toHaveURL(/\/regressions/);
  await page.goto("/modules/v4l2loopback");
  expect(violations).toEqual([]);
});
