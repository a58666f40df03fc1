import pg from "pg";
import { DEFAULT_DATABASE_URL } from "../../db/client";

/** The channel every ingest notifies when it commits (record-results.ts). */
export const RESULTS_CHANNEL = "modcompat_results";

/**
 * One listener per process (globalThis): Next bundles the ingest route apart from the check, and
 * the ingest's noteResultsChanged must move the generation the check reads, at once.
 */
const g = globalThis as unknown as { __modcompatResultsListener?: { client: pg.Client | null; ready: boolean; generation: number; retryAt: number } };
const state = (g.__modcompatResultsListener ??= { client: null, ready: false, generation: 0, retryAt: 0 });

/**
 * A number that changes whenever results may have changed: on every ingest committed by this
 * process (noteResultsChanged), on every notification of an ingest committed by another one
 * (PostgreSQL LISTEN/NOTIFY on RESULTS_CHANNEL), and whenever the listening connection is made or
 * lost. Null while not listening: then nothing is known and the caller reads the data stamp. The
 * first call starts listening; a lost connection is made again on a call 5 s later at the earliest.
 */
export function resultsGeneration(): number | null {
  if (!state.client && Date.now() >= state.retryAt) listen();
  return state.ready ? state.generation : null;
}

/** An ingest of this process committed (synchronous, unlike its notification). */
export function noteResultsChanged(): void {
  state.generation += 1;
}

function listen(): void {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL });
  state.client = client;
  const lost = () => {
    if (state.client !== client) return;
    state.client = null;
    state.ready = false;
    state.generation += 1;
    state.retryAt = Date.now() + 5000;
    client.end().catch(() => {});
  };
  client.on("error", lost);
  client.on("end", lost);
  client.on("notification", () => {
    state.generation += 1;
  });
  client
    .connect()
    .then(() => client.query(`LISTEN ${RESULTS_CHANNEL}`))
    .then(() => {
      if (state.client !== client) return;
      // Listening never keeps a process (the CLI, a test run) alive by itself.
      (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
      state.generation += 1;
      state.ready = true;
    }, lost);
}
