import { describe, expect, it } from "vitest";
import { retryDelayMs, subscriptionMatches, type EventScope, type SubscriptionFilter } from "../../lib/domain/webhook";
import { signBody, verifySignature } from "../../lib/services/webhooks/signature";

const any: SubscriptionFilter = { module: null, series: null, kernel: null, events: [] };
const opened: EventScope = { event: "incident.opened", module: "zfs", series: "6.12", kernels: ["6.11.9", "6.12.1"] };

describe("subscriptionMatches", () => {
  it.each([
    [any, true],
    [{ ...any, module: "zfs" }, true],
    [{ ...any, module: "evdi" }, false],
    [{ ...any, series: "6.12" }, true],
    [{ ...any, series: "6.1" }, false],
    [{ ...any, kernel: "6.11.9" }, true],
    [{ ...any, kernel: "6.12.2" }, false],
    [{ ...any, events: ["incident.fixed"] }, false],
    [{ ...any, events: ["incident.fixed", "incident.opened"], module: "zfs", series: "6.12" }, true],
  ])("%j → %s", (sub, want) => expect(subscriptionMatches(sub, opened)).toBe(want));
});

describe("signature", () => {
  // Reference value: printf '%s' '{"a":1}' | openssl dgst -sha256 -hmac secret
  it("is the HMAC-SHA256 of the body as sha256=<hex>", () => {
    expect(signBody("secret", '{"a":1}')).toBe("sha256=aa9e2e3575f5d7098b6caccd790888c36d5fdb63342a73bada2d6a51747a8494");
    expect(verifySignature("secret", '{"a":1}', signBody("secret", '{"a":1}'))).toBe(true);
    expect(verifySignature("secret", '{"a":2}', signBody("secret", '{"a":1}'))).toBe(false);
    expect(verifySignature("other", '{"a":1}', signBody("secret", '{"a":1}'))).toBe(false);
    expect(verifySignature("secret", '{"a":1}', null)).toBe(false);
  });
});

describe("retryDelayMs", () => {
  it.each([
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [9, 2_560_000],
    [10, 3_600_000],
  ])("after %i failed attempts: %i ms", (n, ms) => expect(retryDelayMs(n)).toBe(ms));
});
