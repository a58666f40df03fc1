import { expect, test } from "@playwright/test";
import { matrixCell } from "./pages";

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
  await expect(matrix.locator("thead th[data-k]")).toHaveCount(0);

  await page.getByRole("link", { name: "Expand all series" }).click();
  const firstKernel = (await matrix.locator("thead th[data-k]").first().getAttribute("data-k"))!;
  // The newest version on the newest kernel may have no result: take the first row that has one.
  const rows = await matrix.locator("tbody th[data-v]").evaluateAll((ths) => ths.map((th) => (th as HTMLElement).dataset.v!));
  let cell = await matrixCell(page, rows[0], firstKernel);
  for (const v of rows) {
    cell = await matrixCell(page, v, firstKernel);
    if ((await cell.textContent())?.trim()) break;
  }
  await expect(cell).toBeVisible();
  const key = `${await cell.locator("xpath=..").locator("th").getAttribute("data-v")}@${firstKernel}`;
  const status = ({ p: "pass", f: "fail", e: "error", s: "skip" } as const)[(await cell.getAttribute("class"))!.split(" ")[0] as "p"];
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

// issue 12: search and check did not know Debian package names (zfs-dkms) or aliases (openzfs).
test("search and check know Debian package names and aliases", async ({ page, request }) => {
  for (const q of ["zfs-dkms", "openzfs"]) {
    const { modules } = (await (await request.get(`/api/v1/modules?q=${q}`)).json()) as { modules: { slug: string }[] };
    expect(modules.map((m) => m.slug), q).toContain("zfs");
  }
  await page.goto(`/?q=v4l2loopback-dkms`);
  await expect(page.getByRole("link", { name: "v4l2loopback", exact: true })).toBeVisible();
  const res = await request.get(`/api/v1/check?kernel=6.1.0-56-amd64&module=${encodeURIComponent("zfs-dkms@2.1.11")}&module=openzfs@2.3.2`);
  const body = (await res.json()) as { modules: { module: string; found: boolean; version: string }[] };
  expect(body.modules.map((m) => [m.module, m.found, m.version])).toEqual([["zfs", true, "2.1.11"]]);
});
