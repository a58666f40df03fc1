import { describe, expect, it } from "vitest";
import { isValidHost, publicBaseUrl } from "../../lib/http/public-url";

const req = (headers: Record<string, string>, url = "http://localhost:3000/api/v1/regressions.atom") => ({ url, headers: new Headers(headers) });

// issue 12: Atom links always pointed to http://localhost:PORT.
describe("publicBaseUrl: where feed links point", () => {
  it.each<[string, Record<string, string>, Record<string, string>, string]>([
    ["the configured public URL wins", { MODCOMPAT_PUBLIC_URL: "https://modcompat.example.org/" }, { host: "evil.example", "x-forwarded-host": "x.example" }, "https://modcompat.example.org"],
    ["a public URL with a path keeps it", { MODCOMPAT_PUBLIC_URL: "https://example.org/modcompat/" }, {}, "https://example.org/modcompat"],
    ["an invalid public URL is ignored", { MODCOMPAT_PUBLIC_URL: "javascript:alert(1)" }, { host: "h.example" }, "http://h.example"],
    ["forwarded host and proto", {}, { host: "127.0.0.1:3000", "x-forwarded-host": "modcompat.example.org", "x-forwarded-proto": "https" }, "https://modcompat.example.org"],
    ["the first forwarded entry", {}, { "x-forwarded-host": "a.example, b.example", "x-forwarded-proto": "https,http" }, "https://a.example"],
    ["forwarded host without proto keeps the request's scheme", {}, { "x-forwarded-host": "a.example:8443" }, "http://a.example:8443"],
    ["an odd forwarded proto is ignored", {}, { "x-forwarded-host": "a.example", "x-forwarded-proto": "javascript" }, "http://a.example"],
    ["a forged forwarded host with markup falls back to Host", {}, { host: "h.example", "x-forwarded-host": '"><script>x</script>' }, "http://h.example"],
    ["a forwarded host with a path falls back", {}, { host: "h.example", "x-forwarded-host": "a.example/evil" }, "http://h.example"],
    ["the Host header", {}, { host: "modcompat.lan:8080" }, "http://modcompat.lan:8080"],
    ["an IPv6 Host", {}, { host: "[::1]:3000" }, "http://[::1]:3000"],
    ["no usable header: the request URL", {}, { host: "bad host" }, "http://localhost:3000"],
  ])("%s", (_name, env, headers, expected) => {
    expect(publicBaseUrl(req(headers), env)).toBe(expected);
  });

  it.each([
    ["example.org", true],
    ["a.example:65535", true],
    ["a.example:65536", false],
    ["a_b.example", false],
    ["user@host", false],
    ["-a.example", false],
    ["", false],
  ])("isValidHost(%j) → %s", (host, ok) => expect(isValidHost(host as string)).toBe(ok));
});
