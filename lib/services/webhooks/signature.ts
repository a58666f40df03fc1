/** Webhook signatures (HMAC, so node:crypto: kept out of lib/domain, which does no I/O). */
import { createHmac, timingSafeEqual } from "node:crypto";

/** `sha256=<hex HMAC-SHA256 of the raw body>`, as GitHub signs its webhooks. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** For receivers (and tests): constant-time check of a signature header. */
export function verifySignature(secret: string, body: string, header: string | null | undefined): boolean {
  const want = Buffer.from(signBody(secret, body));
  const got = Buffer.from(header ?? "");
  return want.length === got.length && timingSafeEqual(want, got);
}
