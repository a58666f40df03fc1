import { expect, test } from "@playwright/test";

// issue 12: no skip link (15 Tab presses to the matrix), focus fell to <body> after expanding a
// series, summary cells could not be focused, every cell was its own tab stop, and focus did not
// move to the opened cell's panel.
test("the matrix is one keyboard grid: skip link, arrow keys, Enter opens a cell's panel, Escape returns", async ({ page }) => {
  await page.goto("/modules/v4l2loopback");
  const matrix = page.getByTestId("matrix");
  await expect(matrix.locator("tbody tr").first()).toBeVisible();
  await page.waitForLoadState("networkidle");

  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to the matrix" })).toBeFocused();
  await page.keyboard.press("Enter");
  const focusedInMatrix = () => page.evaluate(() => !!document.activeElement?.closest("[data-testid=matrix]"));
  expect(await focusedInMatrix()).toBe(true);

  // One tab stop: Tab leaves the grid at once.
  expect(await matrix.locator('[tabindex="0"]').count()).toBe(1);

  // Down to the newest version, right to the newest series' summary.
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowRight");
  const active = () => page.evaluate(() => ({ tag: document.activeElement?.tagName, text: document.activeElement?.textContent?.trim(), cls: document.activeElement?.className }));
  expect((await active()).cls).toContain("sum");
  expect(await matrix.locator('[tabindex="0"]').count()).toBe(1);

  // Enter on a summary expands its series, and the focus stays on that summary.
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/expand=/);
  await expect(matrix.locator("thead th[data-k]").first()).toBeVisible();
  await expect.poll(async () => (await active()).cls).toContain("sum");

  // Right onto the series' newest kernel, Enter opens the cell, its panel takes the focus.
  await page.keyboard.press("ArrowRight");
  expect((await active()).tag).toBe("TD");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/cell=/);
  await expect(page.getByTestId("cell-detail")).toBeFocused();

  // Escape closes it and gives the focus back to the cell.
  await page.keyboard.press("Escape");
  await expect(page).not.toHaveURL(/cell=/);
  await expect.poll(async () => (await active()).tag).toBe("TD");
  expect(await focusedInMatrix()).toBe(true);
});
