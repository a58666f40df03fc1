/**
 * Progress output: a cli-progress bar on a TTY, one plain line per finished build otherwise
 * (CI logs, nohup). Both show done/total, the pass/fail/error/skip counts, elapsed time and ETA.
 */
import cliProgress from "cli-progress";
import type { Status } from "../domain/status";

export interface ProgressItem {
  module: string;
  moduleVersion: string;
  kernel: string;
  status: Status;
  durationMs: number;
  errorLine?: string | null;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "?";
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, "0")}s`;
  return `${sec}s`;
}

export class Progress {
  private readonly counts: Record<Status, number> = { pass: 0, fail: 0, error: 0, skip: 0 };
  private done = 0;
  private readonly started = Date.now();
  private bar: cliProgress.SingleBar | null = null;

  constructor(
    private total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    tty = Boolean(process.stderr.isTTY),
    private readonly silent = false,
  ) {
    if (tty && !silent && total > 0) {
      this.bar = new cliProgress.SingleBar(
        {
          stream,
          format: "{bar} {value}/{total} | ✓ {pass} ✗ {fail} ! {error} – {skip} | {elapsed} elapsed, ETA {etaText} | {last}",
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 20,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, 0, this.payload(""));
    }
  }

  private payload(last: string) {
    return { ...this.counts, elapsed: formatDuration(Date.now() - this.started), etaText: this.eta(), last };
  }

  private eta(): string {
    if (this.done === 0) return "?";
    const per = (Date.now() - this.started) / this.done;
    return formatDuration(per * (this.total - this.done));
  }

  summary(): string {
    const c = this.counts;
    return `pass ${c.pass}, fail ${c.fail}, error ${c.error}, skip ${c.skip}`;
  }

  /** Bisect learns as it goes how many more builds it needs: the total can change. */
  setTotal(total: number): void {
    this.total = Math.max(total, this.done);
    this.bar?.setTotal(this.total);
  }

  /** Results reused from a state file count towards done without a line each. */
  preload(items: readonly ProgressItem[]): void {
    for (const it of items) {
      this.counts[it.status] += 1;
      this.done += 1;
    }
    this.bar?.update(this.done, this.payload(`${items.length} resumed`));
  }

  tick(it: ProgressItem): void {
    this.counts[it.status] += 1;
    this.done += 1;
    const what = `${it.status} ${it.module} ${it.moduleVersion} × ${it.kernel} (${formatDuration(it.durationMs)})`;
    if (this.bar) {
      this.bar.update(this.done, this.payload(what.slice(0, 80)));
      return;
    }
    if (this.silent) return;
    const why = it.status !== "pass" && it.errorLine ? ` — ${it.errorLine.slice(0, 160)}` : "";
    this.stream.write(
      `[${this.done}/${this.total}] ${what}${why} | ${this.summary()} | ${formatDuration(Date.now() - this.started)} elapsed, ETA ${this.eta()}\n`,
    );
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
