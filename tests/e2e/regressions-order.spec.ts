import { expect, test } from "@playwright/test";

// issue 12: the regressions list order was unexplained and not sortable.
test("the regressions list says its order and can be sorted", async ({ page, request }) => {
  await page.goto("/regressions");
  await expect(page.getByTestId("regressions-order")).toContainText("newest first");
  await page.getByTestId("regressions-sort").selectOption("module");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/sort=module/);
  await expect(page.getByTestId("regressions-order")).toContainText("by module");
  const api = (await (await request.get("/api/v1/regressions?sort=module&limit=500")).json()) as { items: { module: { slug: string } }[] };
  const slugs = api.items.map((i) => i.module.slug);
  expect(slugs).toEqual([...slugs].sort());
  expect((await request.get("/api/v1/regressions?sort=nonsense")).status()).toBe(422);
});
