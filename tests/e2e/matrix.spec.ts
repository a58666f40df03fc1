import { expect, test } from "@playwright/test";

test("home → module → matrix → cell detail", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Out-of-tree kernel modules" })).toBeVisible();
  await expect(page.getByLabel("Data sources")).toContainText("results in");

  const firstModule = page.locator("tbody tr td:first-child a").first();
  const name = (await firstModule.textContent())!.trim();
  await firstModule.click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

  const matrix = page.getByTestId("matrix");
  await expect(matrix).toBeVisible();
  await expect(page.getByLabel("Legend").first()).toContainText("fail");
  // Series are collapsed at first: summary columns only, no per-kernel cells.
  await expect(matrix.locator("[data-cell]")).toHaveCount(0);

  await page.getByRole("link", { name: "Expand all series" }).click();
  const cell = matrix.locator("[data-cell]").first();
  await expect(cell).toBeVisible();
  const key = (await cell.getAttribute("data-cell"))!;
  const status = (await cell.getAttribute("data-status"))!;
  expect(page.url()).toContain("expand=");

  await cell.click();
  const detail = page.getByTestId("cell-detail");
  await expect(detail).toBeVisible();
  const [version, kernel] = [key.slice(0, key.indexOf("@")), key.slice(key.indexOf("@") + 1)];
  const heading = detail.getByRole("heading", { level: 2 });
  await expect(heading).toContainText(version);
  await expect(heading).toContainText(kernel);
  await expect(detail.locator(`[data-status="${status}"]`).first()).toBeVisible();
  expect(new URL(page.url()).searchParams.get("cell")).toBe(key);
});

test("unknown module shows the not-found page; the API answers 404", async ({ page, request }) => {
  // The page streams behind a loading skeleton, so its HTTP status is already sent; the content says it.
  await page.goto("/modules/no-such-module-xyz");
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  const res = await request.get("/api/v1/modules/no-such-module-xyz");
  expect(res.status()).toBe(404);
  expect((await res.json()).error.code).toBe("not_found");
});

test("search filters the module list and says when nothing matches", async ({ page }) => {
  await page.goto("/?q=zzzz-nothing");
  await expect(page.getByText("No module matches")).toBeVisible();
});
