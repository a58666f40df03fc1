import { AsyncLocalStorage } from "node:async_hooks";
import { Pool, type PoolClient } from "pg";

/**
 * Database work that stops when the client goes away (issue 11, "bounded work per request").
 *
 * Prisma 6 takes no AbortSignal, so the signal travels beside it: lib/http/route.ts runs a read
 * handler inside `withAbortSignal(req.signal, …)` (Next aborts a route handler's `request.signal`
 * when the client disconnects), and the pool under Prisma's pg adapter (`AbortablePool`) reads it
 * from async context whenever Prisma takes a connection:
 *  - a connection asked for after the abort is refused, so the handler's next query fails at once
 *    and nothing after it runs;
 *  - a query running at the abort is cancelled in PostgreSQL (`pg_cancel_backend` on its backend,
 *    from a separate connection), and its connection is closed instead of returned to the pool,
 *    so the cancel can never reach a later query of another request on the same backend.
 * Services know nothing of this. Work outside `withAbortSignal` (CLI, tests, writes) is untouched.
 */

/**
 * One store per process, not per module copy: Next bundles instrumentation.ts (the webhook worker)
 * apart from the route handlers, each with its own copy of this file. The pool is made by whichever
 * copy calls db() first; with a store per copy, a pool made by the webhook worker read a store that
 * route() never wrote, and no read of that process stopped with its client.
 */
const g = globalThis as unknown as { __modcompatAbortStore?: AsyncLocalStorage<AbortSignal>; __modcompatAbortCounts?: { cancelled: number; refused: number } };
const current = (g.__modcompatAbortStore ??= new AsyncLocalStorage<AbortSignal>());

export function withAbortSignal<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  return current.run(signal, fn);
}

/** What aborts did, for tests and the server log: queries cancelled, connections refused. */
export const abortCounts = (g.__modcompatAbortCounts ??= { cancelled: 0, refused: 0 });

export class RequestAbortedError extends Error {
  constructor(options?: { cause?: unknown }) {
    super("the client went away; the request's database work was stopped", options);
    this.name = "RequestAbortedError";
  }
}

type ConnectCallback = (err: Error | undefined, client: PoolClient | undefined, done: (release?: unknown) => void) => void;

export class AbortablePool extends Pool {
  private canceller: Pool | null = null;

  connect(): Promise<PoolClient>;
  connect(callback: ConnectCallback): void;
  connect(callback?: ConnectCallback): Promise<PoolClient> | void {
    const signal = current.getStore();
    if (!signal) return callback ? super.connect(callback) : super.connect();
    const client = this.connectFor(signal);
    if (!callback) return client;
    client.then(
      (c) => callback(undefined, c, (release) => c.release(release as Error | boolean | undefined)),
      (e: Error) => callback(e, undefined, () => {}),
    );
  }

  private async connectFor(signal: AbortSignal): Promise<PoolClient> {
    if (signal.aborted) throw refused(signal);
    const client = await super.connect();
    if (signal.aborted) {
      client.release();
      throw refused(signal);
    }
    let doomed = false;
    const onAbort = () => {
      doomed = true;
      abortCounts.cancelled++;
      void this.cancel(client);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    // pg-pool gives each checkout a fresh `release`; this wraps only this checkout's.
    const release = client.release.bind(client);
    client.release = (err?: Error | boolean) => {
      signal.removeEventListener("abort", onAbort);
      release(doomed ? true : err);
    };
    return client;
  }

  private async cancel(client: PoolClient): Promise<void> {
    const pid = (client as unknown as { processID?: number }).processID;
    if (!pid) return;
    if (!this.canceller) {
      this.canceller = new Pool({ ...this.options, max: 2, idleTimeoutMillis: 1_000, allowExitOnIdle: true });
      this.canceller.on("error", () => {});
    }
    // A failed cancel is harmless: the query then runs to its end and its connection is closed.
    await this.canceller.query("SELECT pg_cancel_backend($1)", [pid]).catch(() => undefined);
  }
}

function refused(signal: AbortSignal): RequestAbortedError {
  abortCounts.refused++;
  return new RequestAbortedError({ cause: signal.reason });
}
