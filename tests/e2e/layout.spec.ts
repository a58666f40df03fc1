import { expect, test } from "@playwright/test";
import { demoPages } from "./pages";

// issue 12: at 390 px every page overflowed (header nav cut off; tables widened the page: home
// 685 px, kernel 700 px, regressions 561 px) and the check's verdict sat below the fold.
test.describe("phone layout (390 px)", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("no page scrolls sideways; tables scroll in their box with the first column sticky; the nav wraps", async ({ page, request }) => {
    for (const path of await demoPages(request)) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${path} overflows the page by ${overflow}px`).toBeLessThanOrEqual(0);
      const navOutside = await page.locator("header nav a").evaluateAll((links) => links.filter((a) => a.getBoundingClientRect().right > window.innerWidth).length);
      expect(navOutside, `${path}: header links outside the screen`).toBe(0);
      for (const table of await page.locator("main .table-scroll table").all()) {
        const first = table.locator("tbody tr > :first-child").first();
        if ((await first.count()) === 0) continue;
        expect(await first.evaluate((el) => getComputedStyle(el).position), path).toBe("sticky");
      }
    }
  });

  test("the home table scrolls inside its box and keeps the module column in view", async ({ page }) => {
    await page.goto("/");
    const box = page.locator(".table-scroll").first();
    const { scrollWidth, clientWidth } = await box.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    expect(scrollWidth).toBeGreaterThan(clientWidth);
    const name = box.locator("tbody tr td:first-child").first();
    const before = (await name.boundingBox())!.x;
    await box.evaluate((el) => el.scrollBy(200, 0));
    expect(Math.abs((await name.boundingBox())!.x - before)).toBeLessThanOrEqual(1);
  });

  test("after a check the verdict is on screen and has the focus", async ({ page }) => {
    await page.goto("/check");
    await page.getByLabel("Module 1").fill("v4l2loopback@0.12.7");
    await page.locator("#kernel").fill("6.12.107+deb12-amd64");
    await page.getByRole("button", { name: "Check" }).click();
    const result = page.getByTestId("check-result");
    await expect(result).toBeFocused();
    await expect(result.getByRole("status")).toBeInViewport();
  });
});
