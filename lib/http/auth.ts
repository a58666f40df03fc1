import { AppError } from "../services/errors";
import type { TokenScope } from "../services/authorize-ingest";
import { authenticate } from "../services/tokens";
import { clientAddress, limiters } from "./rate-limit";

/**
 * authenticate() behind the failed-authentication limits (lib/http/rate-limit.ts): once an address
 * (or everyone together) has used its budget of failures, it gets 429 before any token is looked
 * at, so guessing tokens costs a window per few tries.
 */
export async function authenticateRequest(req: Request): Promise<TokenScope> {
  const addr = clientAddress(req.headers);
  const l = limiters();
  const wait = Math.max(l.authFailures.retryAfter(addr), l.authFailuresGlobal.retryAfter("*"));
  if (wait > 0) {
    throw new AppError("too_many_requests", `too many failed authentications; retry in ${wait} s`, undefined, { retryAfterSeconds: wait });
  }
  try {
    return await authenticate(req.headers.get("authorization"));
  } catch (e) {
    if (e instanceof AppError && (e.code === "unauthorized" || e.code === "forbidden")) {
      l.authFailures.take(addr);
      l.authFailuresGlobal.take("*");
    }
    throw e;
  }
}
