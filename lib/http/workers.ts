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

/** What the launcher sends a server process: a cluster Worker or a forked ChildProcess. */
interface Channel {
  send(message: unknown, callback: (error: Error | null) => void): boolean;
}

/**
 * Send a message to a server process that may have just died. Its IPC channel can still look
 * connected until the launcher reads the end of it, and a write to it then fails with EPIPE;
 * without a callback Node emits that as an 'error' event, which no one handles, and the launcher
 * (and every process with it) exits. The process's exit is handled where it is noticed, so the
 * failed message is dropped here. Returns whether the message was handed to the channel.
 */
export function sendToProcess(target: Channel & ({ isConnected(): boolean } | { connected: boolean }), message: unknown): boolean {
  const connected = "isConnected" in target ? target.isConnected() : target.connected;
  if (!connected) return false;
  try {
    target.send(message, () => {});
    return true;
  } catch {
    return false; // ERR_IPC_CHANNEL_CLOSED thrown synchronously on some Node versions
  }
}
