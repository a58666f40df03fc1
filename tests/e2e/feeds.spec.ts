import { expect, test } from "@playwright/test";

// issue 12: Atom links always pointed to http://localhost:PORT, whatever Host or X-Forwarded-Host.
test("Atom feeds link to the forwarded host, never to a forged one", async ({ request }) => {
  const forwarded = await (await request.get("/api/v1/regressions.atom", { headers: { "x-forwarded-host": "feeds.example.org", "x-forwarded-proto": "https" } })).text();
  expect(forwarded).toContain("https://feeds.example.org/");
  expect(forwarded).not.toContain("127.0.0.1");
  const forged = await (await request.get("/api/v1/regressions.atom", { headers: { "x-forwarded-host": "evil.example/<x>" } })).text();
  expect(forged).not.toContain("evil.example");
});

// issue 12: favicon.ico was 404.
test("favicon.ico is served", async ({ request }) => {
  const res = await request.get("/favicon.ico");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("image/");
});
