/**
 * Process-wide bookkeeping of what must not outlive the runner: temp directories and the process
 * groups of running builds. On SIGINT/SIGTERM every group is killed and every directory removed.
 */
import { rmSync } from "node:fs";

const tempDirs = new Set<string>();
const processGroups = new Set<number>();
let installed = false;
let onSignalHooks: Array<() => void> = [];

export function registerTempDir(dir: string): void {
  tempDirs.add(dir);
}

export function removeTempDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    /* best effort */
  }
  tempDirs.delete(dir);
}

export function registerProcessGroup(pid: number): void {
  processGroups.add(pid);
}

export function unregisterProcessGroup(pid: number): void {
  processGroups.delete(pid);
}

export function killProcessGroup(pid: number, signal: NodeJS.Signals = "SIGKILL"): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

export function cleanupAll(): void {
  for (const pid of processGroups) killProcessGroup(pid);
  processGroups.clear();
  for (const dir of [...tempDirs]) removeTempDir(dir);
}

/** Run `hook` (e.g. flush state, stop the progress bar) before cleaning up on a signal. */
export function onSignal(hook: () => void): void {
  onSignalHooks.push(hook);
}

export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  const handler = (sig: NodeJS.Signals) => {
    for (const h of onSignalHooks) {
      try {
        h();
      } catch {
        /* keep cleaning */
      }
    }
    onSignalHooks = [];
    cleanupAll();
    process.stderr.write(`\nmodcompat build: interrupted (${sig}); builds killed, temp dirs removed\n`);
    process.exit(sig === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", handler);
  process.once("SIGTERM", handler);
  process.once("exit", () => cleanupAll());
}
