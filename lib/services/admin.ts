import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "./errors";

const digest = (s: string) => createHash("sha256").update(s).digest();

/**
 * Admin endpoints (webhook management) take `Authorization: Bearer $MODCOMPAT_ADMIN_TOKEN`.
 * Without that variable they are switched off (403), never open.
 */
export function requireAdmin(header: string | null, expected = process.env.MODCOMPAT_ADMIN_TOKEN): void {
  if (!expected) throw new AppError("forbidden", "the admin API is disabled: set MODCOMPAT_ADMIN_TOKEN on the server");
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!m) throw new AppError("unauthorized", "missing bearer token: send `Authorization: Bearer <MODCOMPAT_ADMIN_TOKEN>`");
  if (!timingSafeEqual(digest(m[1]), digest(expected))) throw new AppError("unauthorized", "not the admin token");
}
