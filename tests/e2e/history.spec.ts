import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";

/**
 * The breakage history of a module this spec ingests itself through the public API: one regression
 * fixed two releases later (green bar) and one still open on a single distro line (red bar).
 */
const tag = randomUUID().slice(0, 8);
const slug = `e2e-history-${tag}`;
const at = (d: string) => `${d}T12:00:00Z`;
const r = (moduleVersion: string, kernel: string, status: "pass" | "fail", on: string, errorLine?: string) => ({
  module: slug,
  moduleVersion,
  kernel,
  arch: "x86_64",
  stage: "build",
  status,
  finishedAt: at(on),
  ...(errorLine ? { errorLine } : {}),
});
const STRLCPY = "implicit declaration of function 'strlcpy'";
const BD_INODE = "'struct block_device' has no member named 'bd_inode'";

test.describe("module breakage history", () => {
  test.beforeAll(async ({ request }) => {
    const env = { ...process.env, DATABASE_URL: process.env.MODCOMPAT_E2E_DATABASE_URL };
    const created = execFileSync("node", ["bin/modcompat.mjs", "token", "create", "--name", `e2e-history-${tag}`], { env, encoding: "utf8" });
    const token = created.trim().split("\n").at(-1)!;
    expect(token).toMatch(/^mc_/);
    const runs = [
      [r("0.12.5", "6.7", "pass", "2024-01-08"), r("0.12.5", "6.8-rc1", "fail", "2024-01-22", STRLCPY)],
      [r("0.12.6", "6.7", "pass", "2024-02-19"), r("0.12.6", "6.8", "fail", "2024-03-11", STRLCPY)],
      [r("0.12.7", "6.8", "pass", "2024-04-02"), r("0.12.7", "6.8.0-40-generic", "pass", "2024-09-02"), r("0.12.7", "6.8.0-45-generic", "fail", "2024-10-01", BD_INODE)],
    ];
    for (const [n, results] of runs.entries()) {
      const res = await request.post("/api/v1/results", {
        headers: { authorization: `Bearer ${token}` },
        data: {
          run: { source: `e2e-history-${tag}`, id: `run-${n}` },
          modules: n === 0 ? [{ slug, name: `E2E history ${tag}`, versions: [{ version: "0.12.7", releasedAt: "2024-04-01" }] }] : undefined,
          results,
        },
      });
      expect(res.status(), await res.text()).toBe(201);
    }
  });

  test("the timeline renders one coloured bar per regression, with details on hover", async ({ page }) => {
    await page.goto(`/modules/${slug}/history`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("breakage history");
    const timeline = page.getByTestId("regression-timeline");
    const bars = timeline.locator(".recharts-bar-rectangle path");
    await expect(bars).toHaveCount(2);
    const fills = (await bars.evaluateAll((els) => els.map((e) => e.getAttribute("fill")))).sort();
    expect(fills).toEqual(["#059669", "#dc2626"]); // fixed (green) and open (red)
    // The bar of the fixed regression spans ~70 days, the open one runs to today: both have width.
    for (const box of await bars.evaluateAll((els) => els.map((e) => (e as SVGGraphicsElement).getBBox().width))) expect(box).toBeGreaterThan(2);
    // Colour is not the only cue: the axis labels carry ✓ / ✗.
    await expect(timeline).toContainText("✓ 6.8-rc1 · x86_64");
    await expect(timeline).toContainText("✗ 6.8.0-45-generic · x86_64");

    await bars.first().hover();
    await expect(timeline).toContainText("broke on");
    await expect(timeline).toContainText(/strlcpy|bd_inode/);

    const table = page.getByTestId("incident-table");
    await expect(table.locator("tbody tr")).toHaveCount(2);
    await expect(table).toContainText("0.12.7");
  });

  test("a bar leads to the regression's evidence", async ({ page }) => {
    await page.goto(`/modules/${slug}/history`);
    const green = page.getByTestId("regression-timeline").locator('.recharts-bar-rectangle path[fill="#059669"]');
    await green.click();
    await expect(page).toHaveURL(/\/regressions\/\d+$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("broke on 6.8-rc1");
    await expect(page.getByTestId("neighbourhood")).toContainText("first bad");
  });

  test("the regressions list filters through the URL", async ({ page }) => {
    await page.goto(`/regressions?module=${slug}&status=open`);
    const table = page.getByTestId("incident-table");
    await expect(table.locator("tbody tr")).toHaveCount(1);
    await expect(table).toContainText("6.8.0-45-generic");
    // (by name: the signature select's label also holds its options' text, which may say "status")
    await page.locator('select[name="status"]').selectOption("fixed");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/status=fixed/);
    await expect(table.locator("tbody tr")).toHaveCount(1);
    await expect(table).toContainText("6.8-rc1");
  });
});

// issue 12: the history page loaded recharts (~130 KB gzip) even when it drew no chart.
test("a history page without charts does not load the chart library", async ({ page }) => {
  const scripts: Promise<string>[] = [];
  page.on("response", (r) => {
    if (r.url().endsWith(".js")) scripts.push(r.text());
  });
  // wireguard (in Linux since 5.6): its dkms package declines every demo kernel, so only skips and
  // environment errors, no pass or fail: no timeline, trend or lag chart.
  await page.goto("/modules/wireguard/history", { waitUntil: "networkidle" });
  await expect(page.locator(".recharts-wrapper")).toHaveCount(0);
  const bodies = await Promise.all(scripts);
  expect(bodies.length).toBeGreaterThan(0);
  expect(bodies.filter((b) => b.includes("recharts-wrapper")).length).toBe(0);
});
