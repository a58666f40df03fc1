/**
 * The warm-up's pass (lib/http/warm-up.ts): a random token made once per process, which the
 * warm-up sends with its requests and the proxy (proxy.ts) recognises, so that a process warming
 * itself up is not held back by the rate limit meant for clients. Nothing outside the process
 * knows it. Shared through globalThis: Next bundles the proxy apart from the server code.
 */
const g = globalThis as unknown as { __modcompatWarmUpToken?: string };

export const WARM_UP_HEADER = "x-modcompat-warm-up";

/** This process's token, made on first use. */
export function warmUpToken(): string {
  return (g.__modcompatWarmUpToken ??= Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("hex"));
}

/** Whether a request carries this process's token (never true before the process made one). */
export function isWarmUpRequest(headers: Headers): boolean {
  const want = g.__modcompatWarmUpToken;
  const got = headers.get(WARM_UP_HEADER);
  if (!want || !got || got.length !== want.length) return false;
  let diff = 0;
  for (let i = 0; i < want.length; i++) diff |= want.charCodeAt(i) ^ got.charCodeAt(i);
  return diff === 0;
}
