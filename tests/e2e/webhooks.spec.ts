import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { SIGNATURE_HEADER } from "../../lib/domain/webhook";
import { verifySignature } from "../../lib/services/webhooks/signature";

/**
 * The production server (`npm start`) runs the webhook worker it starts from instrumentation.ts:
 * a regression reported over HTTP reaches a local receiver, signed, without anyone calling the
 * worker by hand.
 */
test("a regression reported to the running app is delivered to a webhook, signed", async ({ request }) => {
  const env = { ...process.env, DATABASE_URL: process.env.MODCOMPAT_E2E_DATABASE_URL };
  const cli = (args: string[]) => execFileSync("node", ["bin/modcompat.mjs", ...args], { env, encoding: "utf8" }).trim().split("\n");
  const got: { body: string; signature: string }[] = [];
  const receiver: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    got.push({ body: Buffer.concat(chunks).toString("utf8"), signature: String(req.headers[SIGNATURE_HEADER.toLowerCase()]) });
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const tag = randomUUID().slice(0, 8);
  const mod = `e2e-hook-${tag}`;
  const added = cli(["webhook", "add", "--url", `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, "--module", mod]);
  const secret = added.at(-1)!;
  const id = /^webhook (\d+)/.exec(added[0])![1];
  const token = cli(["token", "create", "--name", `e2e-hook-${tag}`]).at(-1)!;
  try {
    const post = (run: string, kernel: string, status: string) =>
      request.post("/api/v1/results", {
        headers: { authorization: `Bearer ${token}` },
        data: { run: { source: `e2e-hook-${tag}`, id: run }, results: [{ module: mod, moduleVersion: "1.0", kernel, arch: "x86_64", stage: "build", status }] },
      });
    expect((await post("r1", "6.1.0-900-amd64", "pass")).status()).toBe(201);
    expect((await post("r2", "6.1.0-901-amd64", "fail")).status()).toBe(201);
    await expect.poll(() => got.length, { timeout: 20_000 }).toBe(1);
    expect(verifySignature(secret, got[0].body, got[0].signature)).toBe(true);
    expect(JSON.parse(got[0].body)).toMatchObject({ event: "incident.opened", module: mod, incident: { lastGoodKernel: "6.1.0-900-amd64", firstBadKernel: "6.1.0-901-amd64" } });
    expect(cli(["webhook", "list"]).join("\n").replace(/\x1b\[[0-9;]*m/g, "")).toMatch(new RegExp(`│ ${id}\\s+│.*│ 0\\s+│ 1\\s+│ 0\\s+│`));
  } finally {
    cli(["webhook", "remove", id]);
    await new Promise((resolve) => receiver.close(resolve));
  }
});
