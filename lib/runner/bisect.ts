/**
 * `modcompat build --bisect`: when a module version passes on the oldest ABI of a kernel series and
 * fails on the newest (or the other way round), binary-search the ABIs in between for the first
 * kernel that behaves like the newest, in about log2(n) builds instead of n.
 * Pure apart from `probe`, which builds (or looks up) one kernel and gives its status.
 */
import type { Status } from "../domain/status";

export interface BisectOutcome<K> {
  /** the newest kernel that behaves like the oldest */
  lastSame: K;
  /** the first kernel that behaves like the newest */
  firstChanged: K;
  /** every kernel probed, with its status, in probe order */
  probes: Array<{ kernel: K; status: Status }>;
}

const decisive = (s: Status): s is "pass" | "fail" => s === "pass" || s === "fail";

/**
 * `kernels` oldest first. Probes both ends; when both are decisive and differ, searches between.
 * A probe that gives error or skip says nothing about the change: that kernel is dropped from the
 * search and the next candidate is tried, so the answer stays a real adjacent pair of decisive
 * results (with the undecided kernels between them, if any). Returns null when the ends agree or
 * are not both decisive.
 */
export async function bisectKernels<K>(kernels: readonly K[], probe: (k: K) => Promise<Status>): Promise<BisectOutcome<K> | null> {
  if (kernels.length < 2) return null;
  const probes: Array<{ kernel: K; status: Status }> = [];
  const look = async (i: number) => {
    const status = await probe(kernels[i]);
    probes.push({ kernel: kernels[i], status });
    return status;
  };
  const first = await look(0);
  const last = await look(kernels.length - 1);
  if (!decisive(first) || !decisive(last) || first === last) return null;
  let lo = 0;
  let hi = kernels.length - 1;
  const undecided = new Set<number>();
  for (;;) {
    const open = [];
    for (let i = lo + 1; i < hi; i++) if (!undecided.has(i)) open.push(i);
    if (open.length === 0) break;
    const mid = open[Math.floor((open.length - 1) / 2)];
    const s = await look(mid);
    if (!decisive(s)) undecided.add(mid);
    else if (s === first) lo = mid;
    else hi = mid;
  }
  return { lastSame: kernels[lo], firstChanged: kernels[hi], probes };
}
