import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";

/**
 * /check with pasted `dkms status` output. The spec reports its own small fixture (module names
 * unique to this run) through the ingest API, so it does not depend on which demo data the server
 * loaded: v4l2loopback-like 0.12.7 passes on 6.1 and fails on 6.12 with the strlcpy error, 0.13.2
 * passes on 6.12, and a second module passes on both.
 */
const OLD = "6.1.0-56-amd64";
const NEW = "6.12.107+deb12-amd64";
const tag = randomUUID().slice(0, 8);
const LOOP = `e2echk${tag}-v4l2loopback`;
const ZFS = `e2echk${tag}-zfs`;

test.describe("pre-upgrade check page", () => {
  test.beforeAll(async ({ request }) => {
    const env = { ...process.env, DATABASE_URL: process.env.MODCOMPAT_E2E_DATABASE_URL };
    const created = execFileSync("node", ["bin/modcompat.mjs", "token", "create", "--name", `e2e-check-${tag}`], { env, encoding: "utf8" });
    const token = created.trim().split("\n").at(-1)!;
    expect(token).toMatch(/^mc_/);
    const r = (module: string, moduleVersion: string, kernel: string, status: "pass" | "fail") => ({
      module,
      moduleVersion,
      kernel,
      arch: "x86_64",
      stage: "build",
      status,
      ...(status === "fail"
        ? { log: "v4l2loopback.c:2376:9: error: implicit declaration of function ‘strlcpy’; did you mean ‘strscpy’? [-Werror=implicit-function-declaration]" }
        : {}),
    });
    const res = await request.post("/api/v1/results", {
      headers: { authorization: `Bearer ${token}` },
      data: {
        run: { source: "e2e-check", id: `e2e-check-${tag}` },
        results: [
          r(LOOP, "0.12.7", OLD, "pass"),
          r(LOOP, "0.12.7", NEW, "fail"),
          r(LOOP, "0.13.2", NEW, "pass"),
          r(ZFS, "2.1.11", OLD, "pass"),
          r(ZFS, "2.1.11", NEW, "pass"),
        ],
      },
    });
    expect(res.status(), await res.text()).toBe(201);
  });

  test("paste dkms status, choose a kernel, read the verdicts and follow the permalink", async ({ page }) => {
    await page.goto("/check");
    await expect(page.getByRole("heading", { name: "Pre-upgrade check" })).toBeVisible();

    const kernel = page.getByLabel("Kernel you are about to install");
    await kernel.fill("banana");
    await expect(page.locator("#kernel-parsed")).toContainText('cannot parse kernel version "banana"');
    await kernel.fill(NEW);
    await expect(page.locator("#kernel-parsed")).toContainText("debian kernel, upstream 6.12.107 (series 6.12), revision deb12, flavour amd64");

    await page.getByLabel("Output of dkms status").fill(
      [`$ dkms status`, `${LOOP}/0.12.7, ${OLD}, x86_64: installed`, `${ZFS}, 2.1.11, ${OLD}, x86_64: installed (original_module exists)`].join("\n"),
    );
    await page.getByRole("button", { name: "Check" }).click();

    const result = page.getByTestId("check-result");
    await expect(result).toHaveAttribute("data-outcome", "blocked");
    await expect(result.getByRole("status")).toContainText(`Do not upgrade yet: a module is broken or unsupported on ${NEW} (x86_64)`);

    const loop = result.locator(`tr[data-module="${LOOP}"]`);
    await expect(loop.locator("[data-verdict]")).toHaveText(/broken/);
    await expect(loop).toContainText("implicit declaration of function 'strlcpy'");
    await expect(loop).toContainText("0.13.2 works there");
    await expect(loop).toContainText("dkms: installed (line 2)");
    await expect(result.locator(`tr[data-module="${ZFS}"] [data-verdict]`)).toHaveText(/works/);

    await loop.getByText(/^Evidence/).click();
    await expect(loop.getByRole("link", { name: "raw results" }).first()).toHaveAttribute("href", new RegExp(`/api/v1/modules/${LOOP}/versions/0.12.7/kernels/`));

    await expect(result).toContainText("line 1: $ dkms status");
    await expect(page.getByTestId("newest-safe")).toContainText(`Newest kernel on which all 2 known module versions pass: ${OLD}`);

    // The permalink reproduces the check from the URL alone, without the pasted text.
    const permalink = page.getByTestId("permalink");
    await expect(permalink).toHaveAttribute("href", `/check?kernel=${encodeURIComponent(NEW)}&module=${LOOP}%400.12.7&module=${ZFS}%402.1.11&arch=x86_64`);
    await permalink.click();
    await expect(page).toHaveURL(/\/check\?kernel=6\.12\.107%2Bdeb12-amd64&module=/);
    await expect(page.getByLabel("Output of dkms status")).toHaveValue("");
    await expect(page.getByTestId("check-result").locator(`tr[data-module="${LOOP}"] [data-verdict]`)).toHaveText(/broken/);
    await expect(page.getByLabel("Module 1")).toHaveValue(`${LOOP}@0.12.7`);
  });

  test("an unparsable kernel in the URL is explained, not a crash", async ({ page }) => {
    await page.goto(`/check?kernel=banana&module=${LOOP}%400.12.7`);
    await expect(page.getByTestId("check-error")).toContainText('cannot parse kernel version "banana"');
  });
});

// issue 12: the check named 0.13.2 and 2.3.2 but not where to get them, and offered no re-check.
test("a 'fixed in' answer names its Debian package and suite and checks again with that version", async ({ page, request }) => {
  const api = (await (await request.get(`/api/v1/check?kernel=${encodeURIComponent("6.12.107+deb12-amd64")}&module=${encodeURIComponent("v4l2loopback@0.12.7")}`)).json()) as {
    upgrades: { module: string; version: string; kind: string; where: { suite: string; install: string } | null }[];
    links: { recheck: string };
  };
  expect(api.upgrades[0]).toMatchObject({ module: "v4l2loopback", version: "0.13.2", kind: "fixedIn", where: { suite: "bookworm-backports", install: "apt install -t bookworm-backports v4l2loopback-dkms" } });
  expect(api.links.recheck).toContain("module=v4l2loopback%400.13.2");
  await page.goto(`/check?kernel=${encodeURIComponent("6.12.107+deb12-amd64")}&module=${encodeURIComponent("v4l2loopback@0.12.7")}`);
  const get = page.getByTestId("get-version").first();
  await expect(get).toContainText("Fixed in 0.13.2");
  await expect(get).toContainText("v4l2loopback-dkms 0.13.2");
  await expect(get).toContainText("bookworm-backports");
  await expect(get).toContainText("apt install -t bookworm-backports v4l2loopback-dkms");
  await page.getByTestId("recheck-all").click();
  await expect(page).toHaveURL(/module=v4l2loopback%400\.13\.2/);
  await expect(page.getByTestId("check-result")).toHaveAttribute("data-outcome", "ok");
});
