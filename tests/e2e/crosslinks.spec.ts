import { expect, test } from "@playwright/test";

const KERNEL = "6.12.107+deb12-amd64";

// issue 12: the failing cell did not link its regression, its fix or its signature; error lines
// on kernel pages did not link to signatures.
test("a failing cell's panel links its regression, its fix and its kernel change", async ({ page }) => {
  await page.goto(`/modules/v4l2loopback?cell=${encodeURIComponent(`0.12.7@${KERNEL}`)}`);
  const links = page.getByTestId("cell-incidents");
  await expect(links.getByRole("link", { name: /^Regression #\d+$/ }).first()).toHaveAttribute("href", /^\/regressions\/\d+$/);
  await expect(links.getByRole("link", { name: "0.13.2" }).first()).toHaveAttribute("href", /\/check\?kernel=.*module=v4l2loopback%400\.13\.2/);
  await links.getByRole("link", { name: "strlcpy" }).first().click();
  await expect(page).toHaveURL(/\/signatures\/strlcpy$/);
});

test("error lines on a kernel page link to their signature pages", async ({ page }) => {
  await page.goto(`/kernels/${encodeURIComponent(KERNEL)}`);
  const line = page.getByRole("link", { name: "implicit declaration of function 'strlcpy'" }).first();
  await expect(line).toHaveAttribute("href", "/signatures/strlcpy");
});

test("a signature page names the upstream release where its symbol went away, bounded by the snapshots", async ({ page }) => {
  await page.goto("/signatures/strlcpy");
  await expect(page.getByTestId("upstream-removal")).toContainText("was removed upstream in Linux 6.12 or earlier, after Linux 6.1 (first snapshot without it: 6.12.95+deb12-amd64; last with it: 6.1.0-57-amd64)");
});

test("a failing cell's own page links its regression too", async ({ page }) => {
  await page.goto(`/modules/v4l2loopback/cells/0.12.7/${encodeURIComponent(KERNEL)}`);
  await expect(page.getByTestId("cell-incidents").getByRole("link", { name: /^Regression #\d+$/ }).first()).toBeVisible();
});
