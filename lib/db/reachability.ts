import net from "node:net";

/**
 * Is the database server there at all? A TCP connect to its host and port, not a query: a
 * killed postmaster refuses at once, while a busy one still accepts (the kernel completes the
 * handshake), so heavy load never reads as "down". Used by proxy.ts to answer pages with 503
 * while PostgreSQL is away (API routes get their 503 from the error mapping in lib/http/route.ts).
 */
const STALE_MS = 2_000;
const CONNECT_TIMEOUT_MS = 1_000;

type State = { up: boolean; at: number; running: boolean };
const g = globalThis as unknown as { __modcompatDbReach?: State };

export function probeTcp(host: string, port: number, timeoutMs = CONNECT_TIMEOUT_MS): Promise<"up" | "down" | "unknown"> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (r: "up" | "down" | "unknown") => {
      s.destroy();
      resolve(r);
    };
    s.setTimeout(timeoutMs, () => done("unknown"));
    s.once("connect", () => done("up"));
    s.once("error", (e: NodeJS.ErrnoException) => done(e.code === "ECONNREFUSED" || e.code === "EHOSTUNREACH" || e.code === "ENOTFOUND" ? "down" : "unknown"));
  });
}

function target(): { host: string; port: number } | null {
  try {
    // Not lib/db/client.ts's default: importing it would pull Prisma into the proxy. The launcher
    // always sets DATABASE_URL before it starts Next.
    if (!process.env.DATABASE_URL) return null;
    const u = new URL(process.env.DATABASE_URL);
    const host = u.searchParams.get("host") ?? u.hostname;
    if (host.startsWith("/")) return null; // a Unix socket: nothing to probe over TCP
    return { host, port: Number(u.port || 5432) };
  } catch {
    return null;
  }
}

/**
 * The last known state, refreshed in the background when older than 2 s; starts as up. A probe
 * that neither connects nor is refused (timeout) leaves the state as it was.
 */
export function databaseLikelyReachable(now = Date.now()): boolean {
  const s = (g.__modcompatDbReach ??= { up: true, at: 0, running: false });
  const t = target();
  if (t && !s.running && now - s.at > STALE_MS) {
    s.running = true;
    void probeTcp(t.host, t.port)
      .then((r) => {
        if (r !== "unknown") s.up = r === "up";
        s.at = Date.now();
      })
      .finally(() => {
        s.running = false;
      });
  }
  return s.up;
}

/** Waits for one fresh probe (tests). */
export async function refreshReachability(): Promise<boolean> {
  const s = (g.__modcompatDbReach ??= { up: true, at: 0, running: false });
  const t = target();
  if (!t) return s.up;
  const r = await probeTcp(t.host, t.port);
  if (r !== "unknown") s.up = r === "up";
  s.at = Date.now();
  return s.up;
}
