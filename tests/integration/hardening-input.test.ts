import { beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { GET as getKernelRoute } from "@/app/api/v1/kernels/[version]/route";
import { GET as listModulesRoute } from "@/app/api/v1/modules/route";
import { GET as getMatrixRoute } from "@/app/api/v1/modules/[slug]/matrix/route";
import { GET as getModuleRoute } from "@/app/api/v1/modules/[slug]/route";
import { GET as checkRoute } from "@/app/api/v1/check/route";
import { db } from "@/lib/db/client";
import { proxy } from "@/proxy";
import type { IngestBody } from "@/lib/schemas/ingest";
import { expectError, get, ingestBody, newToken, postResults, result, tableCounts, uniqueAbi, uniqueTag } from "./helpers";

/**
 * Issue 11, defects 3, 4, 7 and 11: every input the adversarial campaign turned into a 500 (or
 * accepted although it must not be) answers 4xx with the path, and writes nothing.
 */
const tag = uniqueTag();
const source = `hard-${tag}`;
const abi = uniqueAbi();
const K = `6.1.0-${abi}-amd64`;
let token: string;
let seq = 0;
const mod = () => `hard${++seq}-${tag}`;
const rid = () => `r${++seq}`;

beforeAll(async () => {
  token = await newToken(`hard-${tag}`);
});

function nested(depth: number): unknown {
  let v: unknown = "leaf";
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** Posts a body (or its JSON text), expects 422 naming `path`, and checks that no table grew. */
async function rejects(body: unknown, path: string, message?: RegExp) {
  const before = await tableCounts();
  const res = await postResults(body, { token, raw: typeof body === "string" ? body : undefined });
  const err = await expectError(res, 422, "validation_failed");
  expect(err.issues?.map((i) => i.path), JSON.stringify(err.issues)).toContain(path);
  if (message) expect(err.issues!.find((i) => i.path === path)!.message).toMatch(message);
  expect(await tableCounts()).toEqual(before);
}

const body = (over: Partial<IngestBody["results"][number]> = {}, run: Partial<IngestBody["run"]> = {}): IngestBody =>
  ingestBody(source, rid(), [result({ module: mod(), kernel: K, status: "fail", ...over })], run);

describe("ingest: what PostgreSQL cannot store is a 422 with the path, never a 500", () => {
  it("a lone UTF-16 surrogate in a text field", async () => {
    await rejects(body({ errorLine: "x\ud800" }), "results[0].errorLine", /lone UTF-16 surrogate/);
    await rejects(body({ compiler: "gcc \udc80" }), "results[0].compiler", /surrogate/);
  });

  it("a NUL in a meta key, and in a meta value named log", async () => {
    await rejects(body({}, { meta: { "a\u0000b": 1 } }), "run.meta.a\u0000b", /NUL/);
    await rejects(body({}, { meta: { log: "a\u0000b" } }), "run.meta.log", /NUL/);
    await rejects(body({}, { meta: { deep: [{ x: "\ud800" }] } }), "run.meta.deep[0].x");
  });

  it("dates outside what PostgreSQL (and this domain) can hold", async () => {
    const m = mod();
    await rejects(
      { ...body(), modules: [{ slug: m, versions: [{ version: "1.0", releasedAt: "0000-01-01" }] }] },
      "modules[0].versions[0].releasedAt",
    );
    await rejects(body({ finishedAt: "9999-12-31T23:59:59-23:59" }), "results[0].finishedAt");
    await rejects(body({}, { startedAt: "0001-01-01T00:00:00Z" }), "run.startedAt");
  });

  it("timestamps more than the allowed skew in the future (one 2099 result froze a verdict)", async () => {
    await rejects(body({ finishedAt: "2099-01-01T00:00:00Z" }), "results[0].finishedAt", /future/);
    const inAnHour = new Date(Date.now() + 3600_000).toISOString();
    await rejects(body({}, { finishedAt: inAnHour }), "run.finishedAt", /future/);
    // A clock a minute ahead is still believed.
    const res = await postResults(body({ finishedAt: new Date(Date.now() + 60_000).toISOString() }), { token });
    expect(res.status).toBe(201);
  });

  it("meta nested deeper than the stated limit: 126 levels (Prisma) and 5,000 / 100,000 (zod's stack)", async () => {
    for (const depth of [126, 5_000, 100_000]) {
      // JSON text built by hand: JSON.stringify itself overflows the stack at 100,000 levels.
      const text = JSON.stringify(body({}, { meta: { x: "HOLE" } })).replace('"HOLE"', '{"a":'.repeat(depth) + "1" + "}".repeat(depth));
      await rejects(text, "run.meta.x" + ".a".repeat(29), /nested deeper than 32 levels/);
    }
    const res = await postResults(body({}, { meta: { x: nested(20) } }), { token });
    expect(res.status).toBe(201);
  });

  it("a build log with NUL and lone surrogates is stored cleaned, not refused", async () => {
    const b = body({ log: "error: bad\u0000 byte \udcff here\n" });
    const res = await postResults(b, { token });
    expect(res.status, await res.clone().text()).toBe(201);
    const row = await db().result.findFirst({ where: { run: { source, externalId: b.run.id } } });
    expect(row?.logExcerpt).toBe("error: bad byte \uFFFD here\n");
  });
});

describe("ingest: a client that goes away mid-body", () => {
  it("is a 400, not a 503 'database unavailable' (Node reports it as ECONNRESET 'aborted')", async () => {
    let sent = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (!sent) {
          sent = true;
          c.enqueue(new TextEncoder().encode('{"run":'));
        } else c.error(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
      },
    });
    await expectError(await postResults(null, { token, raw: stream }), 400, "bad_request");
  });
});

describe("ingest: JSON must be UTF-8", () => {
  it("charset=latin1 is a 415, not silently decoded as UTF-8; utf-8 and UTF8 pass", async () => {
    await expectError(await postResults(body(), { token, contentType: "application/json; charset=latin1" }), 415, "unsupported_media_type");
    await expectError(await postResults(body(), { token, contentType: 'application/json;charset="ISO-8859-1"' }), 415, "unsupported_media_type");
    expect((await postResults(body(), { token, contentType: "application/json; charset=utf-8" })).status).toBe(201);
    expect((await postResults(body(), { token, contentType: "application/json;charset=UTF8" })).status).toBe(201);
  });
});

describe("ingest: only http and https URLs", () => {
  for (const url of ["data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "file:///etc/passwd", "javascript:alert(1)", "ftp://example.org/x"]) {
    it(url.slice(0, 20), async () => {
      await rejects(body({ logUrl: url }), "results[0].logUrl", /http/);
      await rejects(body({}, { url }), "run.url", /http/);
      const m = mod();
      await rejects({ ...body(), modules: [{ slug: m, homepage: url }] }, "modules[0].homepage", /http/);
    });
  }
});

describe("kernel strings that are paths, queries or markup are refused, naming the character", () => {
  for (const [kernel, named] of [
    ["6.1/../../etc", '"/"'],
    ["6.1-<img src=x>", '"<"'],
    ["6.1.0-1>x", '">"'],
    ["6.1?x=1", '"?"'],
    ["6.1.0-1\tamd64", "U+0009"],
    ["6.1.0 1", "U+0020"],
  ]) {
    it(JSON.stringify(kernel), async () => {
      await rejects(body({ kernel }), "results[0].kernel", new RegExp(named.replace(/[?+]/g, "\\$&")));
    });
  }
  it("also in the pre-upgrade check", async () => {
    const res = await get(checkRoute, `/api/v1/check?kernel=${encodeURIComponent("6.1/../x")}&module=zfs@2.2.4`);
    const err = await expectError(res, 422, "validation_failed");
    expect(err.issues?.[0].message).toMatch(/"\/"/);
  });
});

describe("reads: NUL and broken encodings answer 4xx", () => {
  it("a NUL in a query value", async () => {
    await expectError(await get(listModulesRoute, "/api/v1/modules?q=%00"), 422, "validation_failed");
    await expectError(await get(listModulesRoute, "/api/v1/modules?q=a%00b"), 422, "validation_failed");
  });

  it("a NUL in a path parameter is a 404", async () => {
    await expectError(await get(getModuleRoute, "/api/v1/modules/a%00b", { slug: "a\u0000b" }), 404, "not_found");
    await expectError(await get(getKernelRoute, "/api/v1/kernels/x", { version: "6.1\u0000" }), 404, "not_found");
  });

  it("matrix range filters validate before they compare", async () => {
    const m = mod();
    await postResults(ingestBody(source, rid(), [result({ module: m, kernel: K })]), { token });
    for (const q of ["from=6.1000", "from=6.1&to=x", "from=x&to=6.1", "to=99999.1", "from=6.1.999999"]) {
      const res = await get(getMatrixRoute, `/api/v1/modules/${m}/matrix?${q}`, { slug: m });
      await expectError(res, 422, "validation_failed");
    }
  });

  it("the proxy answers 400 for broken percent-encoding or a NUL anywhere in the URL", async () => {
    for (const url of ["/api/v1/kernels/%FF", "/modules/%E0%A4%A", "/modules/a%00b", "/api/v1/modules?q=%00", "/regressions?module=%E0%A4%A"]) {
      const res = proxy(new NextRequest(new URL(url, "http://127.0.0.1:3000")));
      expect(res.status, url).toBe(400);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
    const fine = proxy(new NextRequest(new URL("/modules/zfs?expand=6.1", "http://127.0.0.1:3000")));
    expect(fine.status).toBe(200);
  });
});
