/** How many server processes `npm start` runs (scripts/launch.ts). */
export const MAX_DEFAULT_WORKERS = 4;

/**
 * MODCOMPAT_WORKERS: a number from 1 to 64; unset or "auto" means one per core, at most
 * MAX_DEFAULT_WORKERS (each process holds its own Next server, about 200-300 MB).
 */
export function workerCount(text: string | undefined, cores: number): number {
  const t = text?.trim() ?? "";
  if (t === "" || t.toLowerCase() === "auto") return Math.max(1, Math.min(cores, MAX_DEFAULT_WORKERS));
  if (!/^\d{1,2}$/.test(t) || Number(t) < 1 || Number(t) > 64) {
    throw new Error(`invalid MODCOMPAT_WORKERS "${text}": use a number of server processes from 1 to 64, or auto (one per core, at most ${MAX_DEFAULT_WORKERS})`);
  }
  return Number(t);
}
