import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { EmbeddedServer } from "./embedded";

/** The postmaster's pid from its data directory, if that process is alive. */
export function livePostmasterPid(dir: string): number | null {
  const file = path.join(dir, "postmaster.pid");
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
  if (!(pid > 0)) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

export interface Supervisor {
  current(): EmbeddedServer;
  /** restarts so far */
  restarts(): number;
  /** stop watching (on Ctrl-C the terminal signals PostgreSQL too: that is no crash) */
  pause(): void;
  /** stop watching, then stop the server */
  stop(): Promise<void>;
}

/**
 * Watches the embedded postmaster (its pid file, every `intervalMs`) and starts it again when it
 * died, with back-off (1 s, 2 s, 4 s … 30 s), saying so each time. The app's connection pool
 * reconnects on its own once the server is back; requests meanwhile answer 503.
 */
export function superviseEmbedded(opts: {
  dir: string;
  first: EmbeddedServer;
  start: () => Promise<EmbeddedServer>;
  log: (line: string) => void;
  intervalMs?: number;
}): Supervisor {
  let server = opts.first;
  let restarts = 0;
  let failures = 0;
  let stopped = false;
  let busy = false;
  let nextTryAt = 0;
  const tick = async () => {
    if (stopped || busy || Date.now() < nextTryAt) return;
    if (livePostmasterPid(opts.dir) !== null) {
      failures = 0;
      return;
    }
    busy = true;
    try {
      opts.log(`PostgreSQL is not running (data: ${opts.dir}); restarting it${failures ? ` (attempt ${failures + 1})` : ""}`);
      server = await opts.start();
      restarts++;
      failures = 0;
      opts.log(`PostgreSQL restarted (restart #${restarts})`);
    } catch (e) {
      failures++;
      const wait = Math.min(30_000, 1000 * 2 ** (failures - 1));
      nextTryAt = Date.now() + wait;
      opts.log(`PostgreSQL restart failed: ${e instanceof Error ? e.message : String(e)}; next try in ${wait / 1000} s`);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), opts.intervalMs ?? 1000);
  timer.unref();
  return {
    current: () => server,
    restarts: () => restarts,
    pause: () => {
      stopped = true;
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      while (busy) await new Promise((r) => setTimeout(r, 50));
      await server.stop();
    },
  };
}
