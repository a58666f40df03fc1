import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { proxy, config } from "@/proxy";

/** Issue 11, defect 6: every route kind answers with the security headers; pages get a nonce CSP. */
const KINDS = {
  home: "/",
  "module page": "/modules/v4l2loopback?expand=6.1",
  "check page": "/check?kernel=6.12",
  "api docs page": "/api-docs",
  "unknown page (404)": "/no/such/page",
  "JSON API": "/api/v1/modules",
  "OpenAPI document": "/api/v1/openapi.json",
  "Atom feed": "/api/v1/regressions.atom",
  "SVG badge": "/api/v1/badge/v4l2loopback/6.12.svg?version=0.12.7",
  "static file": "/_next/static/chunks/main.js",
  favicon: "/favicon.ico",
};

function run(path: string, init?: { https?: boolean; forwardedProto?: string }) {
  const headers = new Headers();
  if (init?.forwardedProto) headers.set("x-forwarded-proto", init.forwardedProto);
  return proxy(new NextRequest(new URL(path, init?.https ? "https://modcompat.example.org" : "http://127.0.0.1:3000"), { headers }));
}

describe("security headers on every route kind", () => {
  it("the proxy matches every path", () => {
    expect(config.matcher).toBe("/:path*");
  });

  for (const [kind, path] of Object.entries(KINDS)) {
    it(kind, () => {
      const res = run(path);
      const h = res.headers;
      const csp = h.get("content-security-policy") ?? "";
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/default-src '(self|none)'/);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(h.get("x-content-type-options")).toBe("nosniff");
      expect(h.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(h.get("permissions-policy")).toMatch(/camera=\(\)/);
      expect(h.get("x-frame-options")).toBe("DENY");
      expect(h.get("strict-transport-security"), "no HSTS over plain http").toBeNull();
    });
  }

  it("pages get a fresh nonce per request, passed on to Next in the request headers", () => {
    const a = run("/").headers.get("content-security-policy")!;
    const b = run("/").headers.get("content-security-policy")!;
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(a)?.[1];
    expect(nonce).toBeDefined();
    expect(nonce!.length).toBeGreaterThanOrEqual(22);
    expect(b).not.toContain(nonce);
    expect(a).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    // NextResponse.next({ request: { headers } }) forwards overridden request headers like this:
    const forwarded = run("/").headers.get("x-middleware-request-content-security-policy");
    expect(forwarded).toMatch(/'nonce-/);
  });

  it("API answers may load nothing", () => {
    expect(run("/api/v1/modules").headers.get("content-security-policy")).toMatch(/^default-src 'none'/);
  });

  it("HSTS only over https (directly or behind a TLS proxy)", () => {
    expect(run("/", { https: true }).headers.get("strict-transport-security")).toMatch(/max-age=\d{7,}/);
    expect(run("/api/v1/modules", { forwardedProto: "https" }).headers.get("strict-transport-security")).toMatch(/max-age=/);
    expect(run("/", { forwardedProto: "http" }).headers.get("strict-transport-security")).toBeNull();
  });

  it("a refused URL still carries the headers", () => {
    const res = run("/modules/%E0%A4%A");
    expect(res.status).toBe(400);
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});
