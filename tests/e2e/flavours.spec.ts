import { expect, test } from "@playwright/test";

// issue 12: -rt and -cloud kernels sat inside the amd64 picture by default.
test("the matrix shows generic flavours by default and rt/cloud on demand", async ({ page }) => {
  await page.goto("/modules/v4l2loopback?expand=6.1");
  const matrix = page.getByTestId("matrix");
  // Kernel columns are named by their headers (data-k).
  await expect(matrix.locator("thead th[data-k]").first()).toBeVisible();
  await expect(matrix.locator('thead th[data-k*="-rt-"], thead th[data-k*="-cloud-"]')).toHaveCount(0);
  await page.getByTestId("flavours-toggle").click();
  await expect(page).toHaveURL(/flavours=all/);
  await expect(matrix.locator('thead th[data-k*="-rt-"]').first()).toBeVisible();
  await page.getByTestId("flavours-toggle").click();
  await expect(page).not.toHaveURL(/flavours=all/);
});

test("no module's 'last kernel it builds on' is an rt or cloud kernel when it builds on a generic one", async ({ request }) => {
  const { modules } = (await (await request.get("/api/v1/modules")).json()) as { modules: { slug: string; support: { lastKernel: string | null } }[] };
  const special = modules.filter((m) => m.support.lastKernel && /-(rt|cloud)-/.test(m.support.lastKernel));
  expect(special.map((m) => `${m.slug}: ${m.support.lastKernel}`)).toEqual([]);
});
