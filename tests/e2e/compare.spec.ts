import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { expect, test } from "@playwright/test";

/**
 * /kernels/compare against the production server, on real data: the API snapshots of Debian's
 * 6.1.0-56 and 6.12.107 header packages (imported here with `modcompat kernel-api import`) and
 * the demo's real footprints (data/demo/footprints-bookworm-6.1.0-56.json, built by the runner).
 * v4l2loopback 0.12.7 calls strlcpy, which 6.12 no longer exports.
 */
const OLD = "/usr/src/linux-headers-6.1.0-56-amd64";
const NEW = "/usr/src/linux-headers-6.12.107+deb12-amd64";
const present = existsSync(`${OLD}/Module.symvers`) && existsSync(`${NEW}/Module.symvers`);

test.describe("kernel API compare page", () => {
  test.skip(!present, "needs linux-headers-6.1.0-56-amd64 and linux-headers-6.12.107+deb12-amd64 (scripts/ensure-test-packages.sh)");
  test.beforeAll(() => {
    const env = { ...process.env, DATABASE_URL: process.env.MODCOMPAT_E2E_DATABASE_URL };
    const out = execFileSync("node", ["bin/modcompat.mjs", "kernel-api", "import", OLD, NEW], { env, encoding: "utf8" });
    expect(out).toContain("6.12.107+deb12-amd64");
  });

  test("strlcpy is removed from 6.1.0-56 to 6.12.107, with the module versions that use it", async ({ page }) => {
    await page.goto("/kernels/compare");
    await page.getByLabel("From kernel").fill("6.1.0-56-amd64");
    await page.getByLabel("To kernel").fill("6.12.107+deb12-amd64");
    await page.getByRole("button", { name: "Compare" }).click();
    await expect(page).toHaveURL(/from=6\.1\.0-56-amd64&to=6\.12\.107%2Bdeb12-amd64/);
    await expect(page.getByTestId("compare-headline")).toContainText(/6\.12\.107\+deb12-amd64 removes \d+ exported symbols of 6\.1\.0-56-amd64/);
    const row = page.getByTestId("removed-symbols").getByRole("row").filter({ has: page.getByRole("cell", { name: "strlcpy", exact: true }) });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole("link", { name: "v4l2loopback 0.12.7" })).toHaveAttribute("href", "/modules/v4l2loopback");
    await expect(row.getByRole("link", { name: "nat-rtsp 0.7+5.3" })).toBeVisible();
    await expect(page.getByTestId("removed-headers").getByRole("cell", { name: "asm/unaligned.h", exact: true })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Module versions affected" })).toBeVisible();
  });

  test("bad input is named, not a crash; the JSON API answers 422", async ({ page, request }) => {
    await page.goto("/kernels/compare?from=6.1.0-56-amd64&to=6.1.0-56-amd64");
    await expect(page.getByRole("alert").filter({ hasText: "same kernel" })).toBeVisible();
    await page.goto("/kernels/compare?from=6.1.0-56-amd64&to=9.9.9-1-amd64");
    await expect(page.getByRole("alert").filter({ hasText: "no API snapshot of 9.9.9-1-amd64" })).toBeVisible();
    const res = await request.get("/api/v1/kernels/compare?from=6.1.0-56-amd64&to=x%20y");
    expect(res.status()).toBe(422);
    const ok = await request.get("/api/v1/kernels/compare?from=6.1.0-56-amd64&to=6.12.107%2Bdeb12-amd64&used=1&limit=2000");
    expect(ok.status()).toBe(200);
    const body = (await ok.json()) as { removedSymbols: { name: string; usedBy: { module: string }[] }[] };
    expect(body.removedSymbols.find((s) => s.name === "strlcpy")?.usedBy.map((u) => u.module)).toEqual(expect.arrayContaining(["v4l2loopback", "nat-rtsp"]));
  });

  // A kernel the demo has no v4l2loopback 0.12.7 result on, but an API snapshot of (trixie's
  // 6.12.111, data/demo/kernel-api/, loaded with the demo): the prediction needs nothing else.
  test("the check and the matrix show a labelled prediction where nobody built", async ({ page, request }) => {
    const env = { ...process.env, DATABASE_URL: process.env.MODCOMPAT_E2E_DATABASE_URL };
    await page.goto("/check?kernel=6.12.111%2Bdeb13-amd64&module=v4l2loopback%400.12.7");
    await expect(page.getByTestId("check-prediction")).toHaveText("likely broken (predicted: strlcpy removed)");

    // The demo's footprinted versions were built on every kernel of their matrices, so the matrix
    // test posts its own module: 1.0 built (with a footprint) on 6.1.0-56 only, 2.0 on 6.12.111.
    const tag = Math.random().toString(36).slice(2, 8);
    const slug = `e2epred${tag}`;
    const created = execFileSync("node", ["bin/modcompat.mjs", "token", "create", "--name", `e2e-pred-${tag}`], { env, encoding: "utf8" });
    const token = created.trim().split("\n").at(-1)!;
    const footprint = { symbols: ["kfree"], headers: ["linux/module.h", "linux/string.h"], includes: ["linux/string.h"], references: ["kfree", "strlcpy"], licences: ["GPL"], importedNamespaces: [] };
    const res = await request.post("/api/v1/results", {
      headers: { authorization: `Bearer ${token}` },
      data: {
        run: { source: `e2e-pred-${tag}`, id: "r1" },
        results: [
          { module: slug, moduleVersion: "1.0", kernel: "6.1.0-56-amd64", arch: "x86_64", stage: "build", status: "pass", footprint },
          { module: slug, moduleVersion: "2.0", kernel: "6.12.111+deb13-amd64", arch: "x86_64", stage: "build", status: "pass" },
        ],
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    await page.goto(`/modules/${slug}?expand=6.12`);
    const cell = page.locator('[data-predicted="fail"]');
    await expect(cell).toHaveCount(1);
    await expect(cell).toHaveAttribute("title", /^1\.0 on 6\.12\.111\+deb13-amd64: no result; likely broken \(predicted: strlcpy removed\), from its build on 6\.1\.0-56-amd64$/);
    await expect(page.getByTestId("prediction-legend")).toContainText("predicted");
  });

  test("the prediction record page shows the figures", async ({ page }) => {
    await page.goto("/predictions");
    await expect(page.getByRole("heading", { name: "Prediction record" })).toBeVisible();
    await expect(page.getByTestId("fail-precision")).toHaveText(/%|n\/a/);
  });
});
