import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentTypeOf, pickEncoding, staticFileOf, staticFiles } from "../../lib/http/static-files";

describe("static file rules", () => {
  it.each([
    ["/_next/static/chunks/0-o38y6wyw0u1.js", "chunks/0-o38y6wyw0u1.js"],
    ["/_next/static/media/font.woff2", "media/font.woff2"],
    ["/_next/static/BUILD/_buildManifest.js", "BUILD/_buildManifest.js"],
    ["/_next/static/chunks/../../../package.json", null],
    ["/_next/static/./x.js", null],
    ["/_next/static//x.js", null],
    ["/_next/static/chunks/%2e%2e/x.js", null],
    ["/_next/static/x\\y.js", null],
    ["/_next/static/chunks/x.html", null],
    ["/_next/static/", null],
    ["/_next/image", null],
    ["/api/v1/check", null],
  ])("%s → %s", (url, want) => {
    expect(staticFileOf(url)).toBe(want);
  });

  it.each([
    ["gzip, deflate, br", "br"],
    ["gzip, deflate", "gzip"],
    ["br;q=0, gzip", "gzip"],
    ["gzip;q=0", null],
    ["identity", null],
    ["*", "br"],
    ["*, br;q=0", "gzip"],
    ["", null],
    [undefined, null],
  ] as const)("Accept-Encoding %j → %s", (header, want) => {
    expect(pickEncoding(header)).toBe(want);
  });

  it("types", () => {
    expect(contentTypeOf("a.js")).toBe("application/javascript; charset=UTF-8");
    expect(contentTypeOf("a.CSS")).toBe("text/css; charset=UTF-8");
    expect(contentTypeOf("a.woff2")).toBe("font/woff2");
    expect(contentTypeOf("a.html")).toBeNull();
  });
});

describe("staticFiles over a real server", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "static-"));
  const js = `console.log(${JSON.stringify("x".repeat(5000))});\n`;
  mkdirSync(path.join(dir, "chunks"));
  writeFileSync(path.join(dir, "chunks", "app.js"), js);
  writeFileSync(path.join(dir, "chunks", "font.woff2"), Buffer.alloc(1000, 7));
  const files = staticFiles(dir);
  let fallthrough: string[] = [];
  const server = http.createServer((req, res) => {
    void files.handle(req, res).then((done) => {
      if (!done) {
        fallthrough.push(`${req.method} ${req.url}`);
        res.writeHead(418).end();
      }
    });
  });
  let origin = "";
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const raw = (p: string, headers: Record<string, string> = {}, method = "GET") =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      // the path as given, dot segments included (a URL string would be normalised first)
      const req = http.request({ host: "127.0.0.1", port: new URL(origin).port, path: p, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on("error", reject);
      req.end();
    });

  it("answers a build file compressed once per coding, with Next's cache headers and the security headers", async () => {
    const br = await raw("/_next/static/chunks/app.js", { "accept-encoding": "gzip, br" });
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(br.body).toString()).toBe(js);
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(br.headers["content-type"]).toBe("application/javascript; charset=UTF-8");
    expect(br.headers.vary).toBe("Accept-Encoding");
    expect(br.headers["x-content-type-options"]).toBe("nosniff");
    expect(br.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(br.headers["strict-transport-security"]).toBeUndefined();

    const gz = await raw("/_next/static/chunks/app.js?v=1", { "accept-encoding": "gzip", "x-forwarded-proto": "https" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).toString()).toBe(js);
    expect(gz.headers["strict-transport-security"]).toContain("max-age=");

    const plain = await raw("/_next/static/chunks/app.js");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(js);
    expect(Number(plain.headers["content-length"])).toBe(Buffer.byteLength(js));

    const head = await raw("/_next/static/chunks/app.js", { "accept-encoding": "br" }, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(Number(head.headers["content-length"])).toBe(br.body.length);

    const again = await raw("/_next/static/chunks/app.js", { "if-none-match": String(br.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);

    const font = await raw("/_next/static/chunks/font.woff2", { "accept-encoding": "br" });
    expect(font.headers["content-encoding"]).toBeUndefined();
    expect(font.headers["content-type"]).toBe("font/woff2");
    expect(font.body.length).toBe(1000);
    expect(files.served()).toBe(6);
  });

  it("leaves to Next what is not a build file it has", async () => {
    fallthrough = [];
    for (const p of ["/_next/static/chunks/missing.js", "/_next/static/chunks/../../etc/passwd", "/_next/static/chunks/app.html", "/api/v1/health"]) expect((await raw(p)).status).toBe(418);
    expect((await raw("/_next/static/chunks/app.js", {}, "POST")).status).toBe(418);
    expect(fallthrough).toEqual([
      "GET /_next/static/chunks/missing.js",
      "GET /_next/static/chunks/../../etc/passwd",
      "GET /_next/static/chunks/app.html",
      "GET /api/v1/health",
      "POST /_next/static/chunks/app.js",
    ]);
  });
});
