import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { matrixCell, STATUS_CLASS } from "./pages";

/**
 * The real thing: the runner downloads Debian's v4l2loopback-dkms 0.12.7 source, builds it with
 * DKMS against two real Debian 12 kernel header sets, reports to the running app over HTTP, and
 * the matrix API and page then show pass on 6.1 and the strlcpy failure on 6.12.
 * scripts/ensure-test-packages.sh installs dkms and the headers when it can; where it could not
 * (not root, no apt), this test is reported as skipped, never as passed.
 */
const OLD = "6.1.0-56-amd64";
const NEW = "6.12.107+deb12-amd64";
const missing = [
  ...(spawnSync("sh", ["-c", "command -v dkms"]).status === 0 ? [] : ["dkms"]),
  ...(spawnSync("sh", ["-c", "command -v apt-get"]).status === 0 ? [] : ["apt-get"]),
  ...[OLD, NEW].filter((k) => !existsSync(`/lib/modules/${k}/build`)).map((k) => `linux-headers-${k}`),
];

test.describe("real DKMS build of v4l2loopback 0.12.7", () => {
  test.skip(missing.length > 0, `cannot build kernel modules here: missing ${missing.join(", ")}`);
  test.setTimeout(15 * 60_000);

  test("runner → ingest API → matrix API and page", async ({ page, request }) => {
    const env = { ...process.env, DATABASE_URL: process.env.MODCOMPAT_E2E_DATABASE_URL };
    const created = execFileSync("node", ["bin/modcompat.mjs", "token", "create", "--name", `e2e-dkms-${randomUUID().slice(0, 8)}`], { env, encoding: "utf8" });
    const token = created.trim().split("\n").at(-1)!;
    expect(token).toMatch(/^mc_/);

    const runId = `e2e-${randomUUID()}`;
    const build = spawnSync(
      "node",
      ["bin/modcompat.mjs", "build", "--module", "v4l2loopback-dkms=0.12.7-2", "--kernel", OLD, "--kernel", NEW,
       "--server", process.env.MODCOMPAT_E2E_BASE_URL!, "--token", token, "--source", "e2e-dkms", "--run-id", runId, "--quiet"],
      { env, encoding: "utf8", timeout: 14 * 60_000 },
    );
    expect(build.status, `runner failed:\n${build.stdout}\n${build.stderr}`).toBe(0);

    const matrix = await (await request.get("/api/v1/modules/v4l2loopback/matrix")).json();
    const version = matrix.versions.find((v: { version: string }) => v.version === "0.12.7");
    expect(version, "module version 0.12.7 in the matrix").toBeTruthy();
    const kernelId = (kv: string) =>
      matrix.series.flatMap((s: { kernels: { id: number; version: string }[] }) => s.kernels).find((k: { version: string }) => k.version === kv)?.id;
    const cellOn = (kv: string) => matrix.cells.find((c: { versionId: number; kernelId: number }) => c.versionId === version.id && c.kernelId === kernelId(kv));
    expect(cellOn(OLD)?.status).toBe("pass");
    expect(cellOn(NEW)?.status).toBe("fail");
    expect(cellOn(NEW)?.errorLine).toContain("implicit declaration of function 'strlcpy'");

    // The cells must carry this run's results, not only what the demo data already said.
    for (const [kv, status] of [[OLD, "pass"], [NEW, "fail"]] as const) {
      const cell = await (await request.get(`/api/v1/modules/v4l2loopback/versions/0.12.7/kernels/${encodeURIComponent(kv)}`)).json();
      const ours = cell.results.filter((r: { run: { externalId: string } }) => r.run.externalId === runId);
      expect(ours.length, `results of run ${runId} on ${kv}`).toBeGreaterThan(0);
      expect(ours[0].status).toBe(status);
      expect(ours[0].durationMs).toBeGreaterThan(0);
    }

    await page.goto(`/modules/v4l2loopback?expand=6.1,6.12`);
    const ok = await matrixCell(page, "0.12.7", OLD);
    const bad = await matrixCell(page, "0.12.7", NEW);
    await expect(ok).toHaveClass(STATUS_CLASS.pass);
    await expect(bad).toHaveClass(STATUS_CLASS.fail);
    await bad.click();
    await expect(page.getByTestId("error-line")).toContainText("implicit declaration of function 'strlcpy'");
  });
});
