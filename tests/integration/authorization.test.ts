import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { scopeText } from "@/lib/cli/commands/token";
import type { IngestBody } from "@/lib/schemas/ingest";
import { matchesPattern } from "@/lib/services/authorize-ingest";
import { recordResults } from "@/lib/services/record-results";
import { createToken, listTokens } from "@/lib/services/tokens";
import { expectError, ingestBody, postResults, result, tableCounts, uniqueAbi, uniqueTag } from "./helpers";

/**
 * Issue 11, defect 2: no token may rewrite another's truth. Sources belong to the token that
 * created them first, module metadata to the token that created the module (or an admin), and
 * scoped tokens stay inside their sources and module patterns.
 */
const tag = uniqueTag();
const K = `6.1.0-${uniqueAbi()}-amd64`;
let alice: string;
let bob: string;
let admin: string;
let aliceId: number;

beforeAll(async () => {
  const a = await createToken(`alice-${tag}`);
  alice = a.token;
  aliceId = a.id;
  bob = (await createToken(`bob-${tag}`)).token;
  admin = (await createToken(`admin-${tag}`, { admin: true })).token;
});

async function post(token: string, body: IngestBody) {
  return postResults(body, { token });
}

async function forbidden(token: string, body: IngestBody, message: RegExp) {
  const before = await tableCounts();
  const e = await expectError(await post(token, body), 403, "forbidden");
  expect(e.message).toMatch(message);
  expect(await tableCounts()).toEqual(before);
}

const r = (module: string, over = {}) => result({ module, kernel: K, ...over });

describe("sources: the first token owns them", () => {
  it("another token cannot post into a source, nor take its future run ids", async () => {
    const source = `lab-${tag}`;
    const mod = `auth-a-${tag}`;
    expect((await post(alice, ingestBody(source, "r1", [r(mod)]))).status).toBe(201);
    await forbidden(bob, ingestBody(source, "r2", [r(mod, { status: "fail" })]), /belongs to another token/);
    // The real reporter's next run is not a 409.
    expect((await post(alice, ingestBody(source, "r2", [r(mod, { status: "pass" })]))).status).toBe(201);
    const src = await db().source.findUnique({ where: { name: source } });
    expect(src?.ownerTokenId).toBe(aliceId);
  });

  it("a source loaded without a token (the demo) takes only admin tokens", async () => {
    const source = `demo-${tag}`;
    const mod = `auth-demo-${tag}`;
    await recordResults(ingestBody(source, "d1", [r(mod)]));
    await forbidden(alice, ingestBody(source, "d2", [r(mod, { status: "fail" })]), /only an admin token/);
    expect((await post(admin, ingestBody(source, "d2", [r(mod)]))).status).toBe(201);
  });

  it("a token created with --source posts only there", async () => {
    const t = await createToken(`ci-${tag}`, { sources: [`ci-${tag}`] });
    await forbidden(t.token, ingestBody(`elsewhere-${tag}`, "1", [r(`auth-s-${tag}`)]), /may post only to the sources "ci-/);
    expect((await post(t.token, ingestBody(`ci-${tag}`, "1", [r(`auth-s-${tag}`)]))).status).toBe(201);
  });

  it("a token with module patterns posts only for matching modules", async () => {
    const t = await createToken(`zfsci-${tag}`, { modules: [`zfs-${tag}*`] });
    await forbidden(t.token, ingestBody(`zfsci-${tag}`, "1", [r(`zfs-${tag}-x`), r(`v4l2-${tag}`)]), /matching zfs-.*not "v4l2-/);
    expect((await post(t.token, ingestBody(`zfsci-${tag}`, "1", [r(`zfs-${tag}-x`)]))).status).toBe(201);
  });
});

describe("module metadata: only the owning token or an admin", () => {
  it("another token cannot change name, homepage or description, but may post results and the same values", async () => {
    const mod = `auth-meta-${tag}`;
    const withMeta = (meta: object) => ({ ...ingestBody(`bob-${tag}`, `m${Math.random()}`, [r(mod)]), modules: [{ slug: mod, ...meta }] });
    expect((await post(alice, { ...ingestBody(`alice-${tag}`, "m1", [r(mod)]), modules: [{ slug: mod, name: "Loopback", homepage: "https://example.org/lb" }] })).status).toBe(201);
    await forbidden(bob, withMeta({ name: "pwned" }), /owned by another token/);
    await forbidden(bob, withMeta({ homepage: "https://evil.example" }), /owned by another token/);
    await forbidden(bob, withMeta({ description: "x" }), /owned by another token/);
    await forbidden(bob, withMeta({ homepage: null }), /owned by another token/);
    expect((await post(bob, ingestBody(`bob-${tag}`, "b1", [r(mod, { status: "fail" })]))).status).toBe(201);
    expect((await post(bob, withMeta({ name: "Loopback" }))).status).toBe(201);
    expect(await db().module.findUnique({ where: { slug: mod }, select: { name: true, homepage: true } })).toEqual({ name: "Loopback", homepage: "https://example.org/lb" });
  });

  it("the owner and an admin can change and clear fields (null clears)", async () => {
    const mod = `auth-clear-${tag}`;
    const src = `alice2-${tag}`;
    expect((await post(alice, { ...ingestBody(src, "c1", [r(mod)]), modules: [{ slug: mod, homepage: "https://example.org/x", description: "first" }] })).status).toBe(201);
    expect((await post(alice, { ...ingestBody(src, "c2", [r(mod)]), modules: [{ slug: mod, homepage: null }] })).status).toBe(201);
    expect(await db().module.findUnique({ where: { slug: mod }, select: { homepage: true, description: true } })).toEqual({ homepage: null, description: "first" });
    expect((await post(admin, { ...ingestBody(`admin-${tag}`, "c3", [r(mod)]), modules: [{ slug: mod, description: null, name: "Renamed" }] })).status).toBe(201);
    expect(await db().module.findUnique({ where: { slug: mod }, select: { name: true, description: true } })).toEqual({ name: "Renamed", description: null });
  });

  it("a module created locally (no owner) changes only by an admin", async () => {
    const mod = `auth-local-${tag}`;
    await recordResults({ ...ingestBody(`local-${tag}`, "l1", [r(mod)]), modules: [{ slug: mod, name: "Local" }] });
    await forbidden(alice, { ...ingestBody(`alice-${tag}`, "l2", [r(mod)]), modules: [{ slug: mod, name: "Mine now" }] }, /owned by another token/);
  });
});

describe("tokens show their scopes; old tokens get the documented default", () => {
  it("token list", async () => {
    const rows = await listTokens();
    const a = rows.find((t) => t.name === `alice-${tag}`)!;
    expect(scopeText(a)).toBe("ingest: own sources; any module");
    expect(scopeText(rows.find((t) => t.name === `admin-${tag}`)!)).toMatch(/^admin/);
    expect(scopeText(rows.find((t) => t.name === `zfsci-${tag}`)!)).toBe(`ingest: own sources; modules zfs-${tag}*`);
  });

  it("patterns: * is the only wildcard", () => {
    expect(matchesPattern("nvidia-open", "nvidia-*")).toBe(true);
    expect(matchesPattern("nvidia", "nvidia-*")).toBe(false);
    expect(matchesPattern("zfs", "z.s")).toBe(false);
    expect(matchesPattern("zfs", "zfs")).toBe(true);
  });

  it("0005_auth gives every source with runs to the token of its earliest run (none: admin only)", async () => {
    const sql = readFileSync("prisma/migrations/0005_auth/migration.sql", "utf8");
    const insert = sql.slice(sql.indexOf('INSERT INTO "Source"')).trim();
    const s1 = `old-a-${tag}`;
    const s2 = `old-b-${tag}`;
    // Runs as they existed before 0005: no Source rows.
    await recordResults(ingestBody(s1, "1", [r(`auth-old-${tag}`)]), { tokenId: aliceId });
    await recordResults(ingestBody(s2, "1", [r(`auth-old-${tag}`)]));
    await db().source.deleteMany({ where: { name: { in: [s1, s2] } } });
    await db().$executeRawUnsafe(insert);
    const rows = await db().source.findMany({ where: { name: { in: [s1, s2] } }, orderBy: { name: "asc" } });
    expect(rows.map((x) => [x.name, x.ownerTokenId])).toEqual([
      [s1, aliceId],
      [s2, null],
    ]);
  });
});
