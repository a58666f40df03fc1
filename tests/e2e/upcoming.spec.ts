import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";

/**
 * /upcoming and the landing page's early warning. The spec reports its own results through the
 * ingest API (module names unique to this run, and a mainline series of its own, 9.8 released and
 * 9.9-rc2 upcoming), so it does not depend on which demo data the server loaded: one module breaks
 * on the rc with the strlcpy error, one builds, one was never built on it.
 */
const tag = randomUUID().slice(0, 8);
const BASE = "9.8.3";
const RC = "9.9-rc2";
const BREAKS = `e2eup${tag}-breaks`;
const BUILDS = `e2eup${tag}-builds`;
const WAITS = `e2eup${tag}-waits`;

test.describe("upcoming kernels", () => {
  test.beforeAll(async ({ request }) => {
    const env = { ...process.env, DATABASE_URL: process.env.MODCOMPAT_E2E_DATABASE_URL };
    const created = execFileSync("node", ["bin/modcompat.mjs", "token", "create", "--name", `e2e-upcoming-${tag}`], { env, encoding: "utf8" });
    const token = created.trim().split("\n").at(-1)!;
    const r = (module: string, kernel: string, status: "pass" | "fail") => ({
      module,
      moduleVersion: "1.0",
      kernel,
      arch: "x86_64",
      stage: "build",
      status,
      ...(status === "fail" ? { log: "m.c:12:9: error: implicit declaration of function ‘strlcpy’; did you mean ‘strscpy’? [-Werror=implicit-function-declaration]" } : {}),
    });
    const res = await request.post("/api/v1/results", {
      headers: { authorization: `Bearer ${token}` },
      data: {
        run: { source: "e2e-upcoming", id: `e2e-upcoming-${tag}` },
        kernels: [{ kernel: RC, upstreamVersion: RC, releasedAt: "2026-05-03", releasedAtSource: "e2e fixture: rc tag date" }],
        results: [r(BREAKS, BASE, "pass"), r(BREAKS, RC, "fail"), r(BUILDS, BASE, "pass"), r(BUILDS, RC, "pass"), r(WAITS, BASE, "pass")],
      },
    });
    expect(res.status(), await res.text()).toBe(201);
  });

  test("lists the break on the rc with its error linked to the signature, and the landing page warns", async ({ page, request }) => {
    await page.goto("/upcoming");
    const section = page.locator(`[data-testid="upcoming-kernel"][data-kernel="${RC}"]`);
    await expect(section.getByTestId("upcoming-headline")).toContainText(`On Linux ${RC},`);
    await expect(section.getByTestId("upcoming-headline")).toContainText("that build on 9.8");
    const row = section.locator(`tr[data-module="${BREAKS}"]`);
    await expect(row).toHaveAttribute("data-outcome", "breaks");
    await expect(row).toContainText("implicit declaration of function 'strlcpy'");
    await expect(section.locator(`tr[data-module="${BUILDS}"]`)).toHaveAttribute("data-outcome", "builds");
    await expect(section.locator(`tr[data-module="${WAITS}"]`)).toHaveAttribute("data-outcome", "not-built");
    await expect(section).toContainText("2026-05-03");

    await row.getByTestId("signature-link").click();
    await expect(page).toHaveURL(/\/signatures\/strlcpy$/);

    await page.goto("/");
    await expect(page.getByTestId("upcoming-summary")).toContainText(`On Linux ${RC}`);
    await expect(page.getByTestId("upcoming-summary")).toContainText(BREAKS);

    const feed = await request.get("/api/v1/upcoming.atom");
    expect(feed.headers()["content-type"]).toContain("application/atom+xml");
    expect(await feed.text()).toContain(`${BREAKS} 1.0 breaks on Linux ${RC}`);
  });

  test("the check on the rc says it is a pre-release", async ({ page }) => {
    await page.goto(`/check?kernel=${encodeURIComponent(RC)}&module=${BREAKS}%401.0`);
    await expect(page.getByTestId("prerelease")).toContainText("pre-release");
    await expect(page.getByTestId("check-result")).toHaveAttribute("data-outcome", "blocked");
  });
});
