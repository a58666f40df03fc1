/**
 * Rate limits per client address (issue 11): failed authentication (brute force of tokens) and
 * expensive unauthenticated reads (matrix, history, check, regressions, feeds). Over the limit a
 * request answers 429 with Retry-After and costs nothing else.
 *
 * State lives in memory, in each server process: the limiter must answer without a database round trip
 * on every request, and must keep working while PostgreSQL is down (that is when clients retry
 * hardest). `npm start` runs one process per core and divides the budget among them
 * (ruleFor); several machines behind a balancer would each keep their own budget (a shared limit
 * would then need a PostgreSQL table).
 *
 * The client address is the first X-Forwarded-For entry. `next start` sets it from the socket
 * only when the request has none, so a client talking to Next directly can choose it: failed
 * authentication is therefore also limited globally (all addresses together), which spoofing
 * cannot evade. Behind a reverse proxy, make the proxy overwrite X-Forwarded-For.
 *
 * Configure with MODCOMPAT_RATE_LIMIT_EXPENSIVE, MODCOMPAT_RATE_LIMIT_AUTH_FAILURES and
 * MODCOMPAT_RATE_LIMIT_AUTH_FAILURES_GLOBAL as "<count>/<seconds>", or "off". The budgets are for the
 * whole server: with several worker processes each keeps its share (ruleFor).
 */
export interface RateRule {
  /** requests allowed per window (the bucket's size) */
  limit: number;
  windowSeconds: number;
}

export const RATE_DEFAULTS = {
  expensive: "120/60",
  authFailures: "10/300",
  authFailuresGlobal: "300/300",
} as const;

const ENV: Record<keyof typeof RATE_DEFAULTS, string> = {
  expensive: "MODCOMPAT_RATE_LIMIT_EXPENSIVE",
  authFailures: "MODCOMPAT_RATE_LIMIT_AUTH_FAILURES",
  authFailuresGlobal: "MODCOMPAT_RATE_LIMIT_AUTH_FAILURES_GLOBAL",
};

export function parseRule(text: string): RateRule | null {
  if (/^(off|0|none)$/i.test(text.trim())) return null;
  const m = /^\s*(\d{1,7})\s*\/\s*(\d{1,6})\s*$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new Error(`invalid rate limit "${text}": use <count>/<seconds> (e.g. 120/60) or off`);
  return { limit: Number(m[1]), windowSeconds: Number(m[2]) };
}

/**
 * The rule this process enforces. `npm start` runs MODCOMPAT_WORKERS reader processes (and a
 * writer), each with its own buckets, so each keeps 1/N of the budget: the front spreads a client's
 * requests over the readers, and a client whose requests all meet one process meets a stricter
 * limit, never a looser one.
 */
export function ruleFor(name: keyof typeof RATE_DEFAULTS, env: NodeJS.ProcessEnv = process.env): RateRule | null {
  const rule = parseRule(env[ENV[name]] ?? RATE_DEFAULTS[name]);
  const workers = Number(env.MODCOMPAT_WORKERS);
  if (!rule || !Number.isInteger(workers) || workers <= 1) return rule;
  return { limit: Math.max(1, Math.round(rule.limit / workers)), windowSeconds: rule.windowSeconds };
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Most addresses a limiter remembers: a flood of spoofed addresses must not grow memory without end. */
const MAX_KEYS = 50_000;

/** Token buckets: `limit` tokens, refilled evenly over `windowSeconds`. */
export class RateLimiter {
  private buckets = new Map<string, Bucket>();
  constructor(private readonly rule: () => RateRule | null) {}

  private bucket(key: string, now: number, rule: RateRule): Bucket {
    const b = this.buckets.get(key) ?? { tokens: rule.limit, at: now };
    b.tokens = Math.min(rule.limit, b.tokens + ((now - b.at) / 1000) * (rule.limit / rule.windowSeconds));
    b.at = now;
    return b;
  }

  /** Seconds until one request is allowed again; 0 when allowed now. Does not consume. */
  retryAfter(key: string, now = Date.now()): number {
    const rule = this.rule();
    if (!rule) return 0;
    const b = this.bucket(key, now, rule);
    return b.tokens >= 1 ? 0 : Math.max(1, Math.ceil(((1 - b.tokens) * rule.windowSeconds) / rule.limit));
  }

  /** Takes one token; returns the Retry-After seconds when there was none (0: allowed). */
  take(key: string, now = Date.now()): number {
    const rule = this.rule();
    if (!rule) return 0;
    const b = this.bucket(key, now, rule);
    if (b.tokens < 1) return Math.max(1, Math.ceil(((1 - b.tokens) * rule.windowSeconds) / rule.limit));
    b.tokens -= 1;
    this.buckets.delete(key);
    this.buckets.set(key, b);
    if (this.buckets.size > MAX_KEYS) this.buckets.delete(this.buckets.keys().next().value!);
    return 0;
  }

  reset(): void {
    this.buckets.clear();
  }
}

/** One set of limiters per process (also across Next's separately bundled proxy and routes). */
const g = globalThis as unknown as { __modcompatLimiters?: Record<keyof typeof RATE_DEFAULTS, RateLimiter> };
export function limiters(): Record<keyof typeof RATE_DEFAULTS, RateLimiter> {
  g.__modcompatLimiters ??= {
    expensive: new RateLimiter(() => ruleFor("expensive")),
    authFailures: new RateLimiter(() => ruleFor("authFailures")),
    authFailuresGlobal: new RateLimiter(() => ruleFor("authFailuresGlobal")),
  };
  return g.__modcompatLimiters;
}

export function clientAddress(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip")?.trim() || "unknown";
}

/**
 * Requests that cost real work and need no token: module matrix and history pages and APIs, the
 * check, regressions, signatures, feeds and badges.
 */
export function isExpensiveRead(method: string, pathname: string): boolean {
  if (method !== "GET" && !(method === "POST" && pathname === "/api/v1/check")) return false;
  return (
    /^\/modules\/[^/]+(\/history|\/cells\/.+)?\/?$/.test(pathname) ||
    /^\/api\/v1\/modules\/[^/]+\/(matrix|history|regressions\.atom|versions\/.+)$/.test(pathname) ||
    /^\/(api\/v1\/)?(check|regressions|signatures)(\/.*)?$/.test(pathname) ||
    /^\/api\/v1\/(watch\.atom|regressions\.atom|badge\/.+)$/.test(pathname) ||
    /^\/kernels\/.+$/.test(pathname) ||
    // decode two API snapshots, or predict from them (issue 13)
    /^\/(api\/v1\/kernels\/compare|api\/v1\/predict|predictions)\/?$/.test(pathname)
  );
}
