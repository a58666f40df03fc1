import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DELETE } from "@/app/api/v1/webhooks/[id]/route";
import { GET, POST } from "@/app/api/v1/webhooks/route";
import { db } from "@/lib/db/client";
import { SIGNATURE_HEADER } from "@/lib/domain/webhook";
import { verifySignature } from "@/lib/services/webhooks/signature";
import { deliverDue, pruneDelivered } from "@/lib/services/webhooks/deliver";
import { addWebhook } from "@/lib/services/webhooks/subscriptions";
import { startWebhookWorker, stopWebhookWorker } from "@/lib/services/webhooks/worker";
import { expectError, ingestBody, newToken, postResults, result, uniqueAbi, uniqueTag } from "./helpers";

const tag = uniqueTag();
const abi = uniqueAbi();
const root = path.resolve(import.meta.dirname, "../..");
let token: string;

/** A local receiver: records every request; answers with the next queued status (200 when none). */
interface Received {
  headers: IncomingMessage["headers"];
  body: string;
}
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
const answers: Array<number | "hang"> = [];
beforeAll(async () => {
  token = await newToken(`webhooks-${tag}`);
  receiver = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    const a = answers.shift() ?? 200;
    if (a === "hang") return; // never answers: the sender is killed meanwhile
    res.writeHead(a).end(a === 200 ? "ok" : "boom");
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  stopWebhookWorker();
  await db().webhookSubscription.deleteMany({ where: { url: receiverUrl } });
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

async function ingest(id: string, results: ReturnType<typeof result>[]) {
  const res = await postResults(ingestBody(`wh-${tag}`, id, results), { token });
  expect(res.status, await res.clone().text()).toBe(201);
}
const deliveriesOf = (subscriptionId: number) => db().webhookDelivery.findMany({ where: { subscriptionId }, orderBy: { id: "asc" } });
const until = async (cond: () => boolean | Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe("webhook admin API", () => {
  it("is off without MODCOMPAT_ADMIN_TOKEN, refuses other tokens, and adds, lists and removes with it", async () => {
    const call = (h: typeof GET, method: string, auth?: string, body?: unknown) =>
      h(new Request("http://localhost/api/v1/webhooks", { method, headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${auth}` } : {}) }, body: body ? JSON.stringify(body) : undefined }), { params: Promise.resolve({}) });
    const saved = process.env.MODCOMPAT_ADMIN_TOKEN;
    try {
      delete process.env.MODCOMPAT_ADMIN_TOKEN;
      await expectError(await call(GET, "GET", "x"), 403, "forbidden");
      process.env.MODCOMPAT_ADMIN_TOKEN = `admin-${tag}`;
      await expectError(await call(GET, "GET", token), 401, "unauthorized");
      await expectError(await call(POST, "POST", `admin-${tag}`, { url: "ftp://x" }), 422, "validation_failed");
      const created = await call(POST, "POST", `admin-${tag}`, { url: "https://chat.example/hook", module: `api-${tag}`, series: "6.12", events: ["incident.opened"] });
      expect(created.status).toBe(201);
      const w = await created.json();
      expect(w.secret).toMatch(/^whsec_/);
      const list = await (await call(GET, "GET", `admin-${tag}`)).json();
      expect(list.webhooks.find((x: { id: number }) => x.id === w.id)).toMatchObject({ module: `api-${tag}`, series: "6.12", events: ["incident.opened"] });
      expect(JSON.stringify(list)).not.toContain(w.secret);
      const del = await DELETE(new Request(`http://localhost/api/v1/webhooks/${w.id}`, { method: "DELETE", headers: { authorization: `Bearer admin-${tag}` } }), { params: Promise.resolve({ id: String(w.id) }) });
      expect(await del.json()).toEqual({ removed: { id: w.id, url: "https://chat.example/hook" } });
    } finally {
      if (saved === undefined) delete process.env.MODCOMPAT_ADMIN_TOKEN;
      else process.env.MODCOMPAT_ADMIN_TOKEN = saved;
    }
  });
});

describe("webhook events and deliveries", () => {
  const mod = `wh-${tag}`;
  const K1 = `6.1.0-${abi}-amd64`;
  const K2 = `6.1.0-${abi + 1}-amd64`;
  let sub: Awaited<ReturnType<typeof addWebhook>>;

  it("an ingest that opens an incident writes one outbox row per matching subscriber, in its transaction", async () => {
    sub = await addWebhook({ url: receiverUrl, module: mod });
    const other = await addWebhook({ url: receiverUrl, module: `someone-else-${tag}` });
    await ingest("r1", [result({ module: mod, moduleVersion: "1.0", kernel: K1, finishedAt: "2026-11-01T00:00:00Z" })]);
    expect(await deliveriesOf(sub.id)).toHaveLength(0);
    await ingest("r2", [result({ module: mod, moduleVersion: "1.0", kernel: K2, status: "fail", errorLine: "implicit declaration of function 'strlcpy'", finishedAt: "2026-11-02T00:00:00Z" })]);
    const rows = await deliveriesOf(sub.id);
    expect(rows.map((r) => [r.event, r.status, r.attempts])).toEqual([["incident.opened", "pending", 0]]);
    expect(rows[0].payload).toMatchObject({ event: "incident.opened", module: mod, incident: { lastGoodKernel: K1, firstBadKernel: K2, status: "open" } });
    expect(await deliveriesOf(other.id)).toHaveLength(0);
    // replaying the run changes nothing
    await postResults(ingestBody(`wh-${tag}`, "r2", [result({ module: mod, moduleVersion: "1.0", kernel: K2, status: "fail", errorLine: "implicit declaration of function 'strlcpy'", finishedAt: "2026-11-02T00:00:00Z" })]), { token });
    expect(await deliveriesOf(sub.id)).toHaveLength(1);
  });

  it("delivers signed; a 500 is recorded and retried after the back-off, then delivered", async () => {
    answers.push(500);
    const t0 = new Date();
    expect(await deliverDue({ now: t0 })).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    let [row] = await deliveriesOf(sub.id);
    expect([row.status, row.attempts, row.lastStatusCode, row.lastError]).toEqual(["pending", 1, 500, "HTTP 500"]);
    expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + 10_000);
    expect(await deliverDue({ now: new Date(t0.getTime() + 5_000) })).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(await deliverDue({ now: new Date(t0.getTime() + 10_000) })).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    [row] = await deliveriesOf(sub.id);
    expect([row.status, row.attempts, row.lastStatusCode]).toEqual(["delivered", 2, 200]);
    expect(received).toHaveLength(2);
    for (const r of received) {
      expect(verifySignature(sub.secret, r.body, r.headers[SIGNATURE_HEADER.toLowerCase()] as string)).toBe(true);
      expect(r.headers["x-modcompat-event"]).toBe("incident.opened");
    }
    expect(received[1].body).toBe(received[0].body);
    expect(JSON.parse(received[1].body)).toMatchObject({ id: `incident.opened:${(row.payload as { incident: { id: number } }).incident.id}`, module: mod });
  });

  it("a fix sends incident.fixed; a failure on a release candidate sends kernel.upcoming_broken to its series' subscribers", async () => {
    const rcSub = await addWebhook({ url: receiverUrl, series: "6.19", events: ["kernel.upcoming_broken"] });
    await ingest("r3", [
      result({ module: mod, moduleVersion: "1.1", kernel: K2, finishedAt: "2026-11-03T00:00:00Z" }),
      result({ module: mod, moduleVersion: "1.1", kernel: "6.19-rc3", status: "fail", errorLine: "'struct foo' has no member named 'bar'", finishedAt: "2026-11-03T00:00:00Z" }),
    ]);
    expect((await deliveriesOf(sub.id)).map((r) => r.event)).toEqual(["incident.opened", "incident.fixed", "kernel.upcoming_broken"]);
    const rc = await deliveriesOf(rcSub.id);
    expect(rc.map((r) => r.payload)).toEqual([expect.objectContaining({ event: "kernel.upcoming_broken", module: mod, version: "1.1", kernel: "6.19-rc3", series: "6.19" })]);
  });

  it("loses nothing when the sending process is killed mid-delivery: the claim expires and another worker sends it", async () => {
    await db().webhookDelivery.updateMany({ where: { status: "pending", subscription: { url: receiverUrl } }, data: { status: "failed" } });
    const lone = await addWebhook({ url: receiverUrl, module: `crash-${tag}` });
    await ingest("r4", [
      result({ module: `crash-${tag}`, moduleVersion: "1.0", kernel: K1, finishedAt: "2026-11-01T00:00:00Z" }),
      result({ module: `crash-${tag}`, moduleVersion: "1.0", kernel: K2, status: "fail", finishedAt: "2026-11-02T00:00:00Z" }),
    ]);
    expect(await deliveriesOf(lone.id)).toHaveLength(1);
    const before = received.length;
    answers.push("hang");
    // A separate process (as the app would be) claims the delivery, starts sending, and is killed.
    const child = spawn(process.execPath, ["--import", "tsx", "-e", `import("${path.join(root, "lib/services/webhooks/deliver.ts")}").then((m) => m.deliverDue({ leaseMs: 30000 }))`], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: inject("databaseUrl") },
      stdio: "ignore",
    });
    await until(() => received.length > before);
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    let [row] = await deliveriesOf(lone.id);
    expect([row.status, row.attempts]).toEqual(["pending", 0]);
    expect(row.lockedUntil).not.toBeNull();
    // another worker does not send it twice while the claim holds …
    expect(await deliverDue()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    // … and sends it once the claim has expired
    expect(await deliverDue({ now: new Date(row.lockedUntil!.getTime() + 1) })).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    [row] = await deliveriesOf(lone.id);
    expect(row.status).toBe("delivered");
  });

  it("the worker started with the app polls the outbox and delivers", async () => {
    const live = await addWebhook({ url: receiverUrl, module: `live-${tag}` });
    await ingest("r5", [
      result({ module: `live-${tag}`, moduleVersion: "1.0", kernel: K1, finishedAt: "2026-11-01T00:00:00Z" }),
      result({ module: `live-${tag}`, moduleVersion: "1.0", kernel: K2, status: "fail", finishedAt: "2026-11-02T00:00:00Z" }),
    ]);
    startWebhookWorker(100);
    await until(async () => (await deliveriesOf(live.id))[0]?.status === "delivered");
    stopWebhookWorker();
    // delivered rows are kept 30 days, then pruned
    const [row] = await deliveriesOf(live.id);
    expect(await pruneDelivered(new Date(row.deliveredAt!.getTime() + 29 * 86_400_000))).toBe(0);
    expect(await pruneDelivered(new Date(row.deliveredAt!.getTime() + 31 * 86_400_000))).toBeGreaterThanOrEqual(1);
    expect(await deliveriesOf(live.id)).toHaveLength(0);
  });
});
