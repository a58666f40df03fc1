import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { lockIngestKeys } from "@/lib/services/regressions/lock";
import { ingestBody, newToken, postResults, result, uniqueAbi, uniqueTag } from "./helpers";

/**
 * Issue 11, defect 9: ingest no longer serialises unrelated modules behind one global lock; it
 * locks the source and the modules a batch touches, in an order that cannot deadlock.
 */
const tag = uniqueTag();
const abi = uniqueAbi();
let token: string;
beforeAll(async () => {
  token = await newToken(`conc-${tag}`);
});
const sleep = (ms: number) => new Promise<"timeout">((r) => setTimeout(() => r("timeout"), ms));

describe("ingest locks per module", () => {
  it("a batch for module B goes through while module A is locked; a batch for A waits", async () => {
    const A = `conc-a-${tag}`;
    const B = `conc-b-${tag}`;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = db().$transaction(
      async (tx) => {
        await lockIngestKeys(tx, { moduleSlugs: [A] });
        locked();
        await held;
      },
      { timeout: 60_000 },
    );
    try {
      await isLocked;
      const forB = postResults(ingestBody(`conc-b-${tag}`, "1", [result({ module: B, kernel: `6.1.0-${abi}-amd64` })]), { token });
      const b = await Promise.race([forB, sleep(10_000)]);
      expect(b, "B was blocked by A's lock").not.toBe("timeout");
      expect((b as Response).status).toBe(201);
      const forA = postResults(ingestBody(`conc-a-${tag}`, "1", [result({ module: A, kernel: `6.1.0-${abi}-amd64` })]), { token });
      expect(await Promise.race([forA.then(() => "done"), sleep(1_000)])).toBe("timeout");
      release();
      await holder;
      expect((await forA).status).toBe(201);
    } finally {
      release();
      await holder.catch(() => {});
    }
  });

  it("24 concurrent batches over 4 modules sharing new kernels in different orders: all stored, no deadlock", async () => {
    const kernels = [0, 1, 2, 3, 4, 5].map((i) => `6.6.0-${abi + 10 + i}-amd64`);
    const bodies = Array.from({ length: 24 }, (_, i) => {
      const mod = `conc-m${i % 4}-${tag}`;
      const ks = i % 2 ? [...kernels].reverse() : kernels;
      return ingestBody(`conc-s${i}-${tag}`, "1", ks.map((k) => result({ module: mod, moduleVersion: `1.${i}`, kernel: k, status: i % 3 ? "pass" : "fail" })));
    });
    const answers = await Promise.all(bodies.map((b) => postResults(b, { token })));
    expect(answers.map((r) => r.status)).toEqual(bodies.map(() => 201));
    // Each new kernel and module is counted as created by exactly one batch, however they raced.
    const created = await Promise.all(answers.map(async (r) => ((await r.json()) as { created: { modules: number; moduleVersions: number; kernels: number } }).created));
    expect(created.reduce((n, c) => n + c.kernels, 0)).toBe(kernels.length);
    expect(created.reduce((n, c) => n + c.modules, 0)).toBe(4);
    expect(created.reduce((n, c) => n + c.moduleVersions, 0)).toBe(24);
    const stored = await db().result.count({ where: { run: { source: { startsWith: "conc-s" }, externalId: "1" }, kernel: { version: { in: kernels } } } });
    expect(stored).toBe(24 * 6);
    const cells = await db().cell.count({ where: { kernel: { version: { in: kernels } } } });
    expect(cells).toBe(24 * 6);
  });
});
