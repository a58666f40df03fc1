import { notFound } from "next/navigation";
import { AppError, type ErrorCode } from "../services/errors";

/** What a page receives as `searchParams`. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of a query parameter given once or several times. */
export function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * A page's main load: an AppError with one of `codes` (by default not_found) shows the 404 page,
 * anything else propagates to the error page. The pages' one copy of this rule.
 */
export async function loadOr404<T>(load: Promise<T>, codes: readonly ErrorCode[] = ["not_found"]): Promise<T> {
  try {
    return await load;
  } catch (e) {
    if (e instanceof AppError && codes.includes(e.code)) notFound();
    throw e;
  }
}
