import type { z } from "zod";

/**
 * What PostgreSQL (and Prisma in front of it) cannot store, found before anything is written, so
 * a request answers 422 with the path instead of failing at insert with a 500:
 * - NUL (U+0000) in any text or object key: PostgreSQL `text` and `jsonb` cannot hold it;
 * - a lone UTF-16 surrogate (what Python's `surrogateescape` makes of binary bytes): not Unicode,
 *   so it has no UTF-8 form;
 * - nesting deeper than MAX_JSON_DEPTH: Prisma's JSON writer and zod's recursive `z.json()` both
 *   recurse once per level and fail (126 and about 5,000 levels).
 *
 * The walk is iterative, so a body nested 100,000 levels deep costs a loop, not the stack.
 */
export const MAX_JSON_DEPTH = 32;
/** Enough to show a reporter what is wrong without echoing a whole hostile body back. */
const MAX_ISSUES = 20;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type JsonPath = (string | number)[];

/** Why this string cannot be stored, or null. */
export function unstorableText(s: string): string | null {
  if (s.includes("\0")) return "contains a NUL character (\\u0000), which cannot be stored";
  if (LONE_SURROGATE.test(s)) return "contains a lone UTF-16 surrogate (not valid Unicode), which cannot be stored";
  return null;
}

/** Replace lone surrogates with U+FFFD and drop NULs: for build logs, where a binary byte is no reason to lose a result. */
export function cleanText(s: string): string {
  return s.replaceAll("\0", "").replace(new RegExp(LONE_SURROGATE.source, "g"), "\uFFFD");
}

export interface UnstorableIssue {
  path: JsonPath;
  message: string;
}

/**
 * Every unstorable place in a JSON value (at most MAX_ISSUES). `skip(path)` exempts values that
 * are cleaned instead (their keys are still checked); depth counts nested arrays and objects.
 */
export function findUnstorable(root: unknown, opts: { maxDepth?: number; skip?: (path: JsonPath) => boolean } = {}): UnstorableIssue[] {
  const maxDepth = opts.maxDepth ?? MAX_JSON_DEPTH;
  const issues: UnstorableIssue[] = [];
  const stack: { value: unknown; path: JsonPath; depth: number }[] = [{ value: root, path: [], depth: 0 }];
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === "string") {
      if (opts.skip?.(path)) continue;
      const why = unstorableText(value);
      if (why) issues.push({ path, message: why });
    } else if (value !== null && typeof value === "object") {
      if (depth >= maxDepth) {
        issues.push({ path, message: `nested deeper than ${maxDepth} levels` });
        continue;
      }
      const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i];
        if (typeof k === "string") {
          const why = unstorableText(k);
          if (why) issues.push({ path: [...path, k], message: `key ${why.replace("contains", "that contains")}` });
        }
        stack.push({ value: v, path: [...path, k], depth: depth + 1 });
      }
    }
  }
  return issues;
}

/** Adds findUnstorable's issues to a zod refinement. */
export function refineStorable(value: unknown, ctx: z.RefinementCtx, opts?: Parameters<typeof findUnstorable>[1]): void {
  for (const i of findUnstorable(value, opts)) ctx.addIssue({ code: "custom", path: i.path, message: i.message });
}
