/**
 * JUnit test cases → ingest results. Each test case is one result of one module version × kernel ×
 * arch; those come from the properties `modcompat.module`, `modcompat.version`, `modcompat.kernel`,
 * `modcompat.arch` and `modcompat.stage` (on the test case or any enclosing suite), else from the
 * import's query. failure → fail, error → error (the harness broke), skipped → skip, else pass.
 */
import { STAGES, type Stage, type Status } from "../domain/status";
import { resultSchema, type IngestResult } from "../schemas/ingest";
import type { JunitCase } from "./parse";

export interface JunitDefaults {
  module?: string;
  version?: string;
  kernel?: string;
  arch?: string;
  stage?: string;
}

export interface JunitUnmapped {
  index: number;
  name: string;
  reason: string;
}

const STATUS_OF: Record<JunitCase["outcome"], Status> = { passed: "pass", failure: "fail", error: "error", skipped: "skip" };
const FIELDS = ["module", "version", "kernel", "arch"] as const;

export function junitToResults(cases: readonly JunitCase[], defaults: JunitDefaults = {}): { results: IngestResult[]; unmapped: JunitUnmapped[] } {
  const results: IngestResult[] = [];
  const unmapped: JunitUnmapped[] = [];
  for (const c of cases) {
    const pick = (k: keyof JunitDefaults) => c.properties[`modcompat.${k}`] ?? defaults[k];
    const name = [c.suite, c.classname, c.name].filter(Boolean).join(" › ");
    const missing = FIELDS.filter((k) => !pick(k));
    if (missing.length) {
      unmapped.push({ index: c.index, name, reason: `no ${missing.join(", ")}: set the modcompat.${missing[0]} property or ?${missing.map((m) => `${m}=`).join("&")}` });
      continue;
    }
    const stage = pick("stage") ?? "test";
    if (!(STAGES as readonly string[]).includes(stage)) {
      unmapped.push({ index: c.index, name, reason: `stage "${stage}" is none of ${STAGES.join(", ")}` });
      continue;
    }
    const status = STATUS_OF[c.outcome];
    const durationMs = c.timeSeconds !== undefined ? Math.max(0, Math.round(c.timeSeconds * 1000)) : undefined;
    const started = c.timestamp ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(c.timestamp) ? c.timestamp : `${c.timestamp}Z`) : NaN;
    const parsed = resultSchema.safeParse({
      module: pick("module"),
      moduleVersion: pick("version"),
      kernel: pick("kernel"),
      arch: pick("arch"),
      stage: stage as Stage,
      status,
      ...(durationMs !== undefined ? { durationMs } : {}),
      ...(c.text.trim() ? { log: c.text.slice(0, 4 * 1024 * 1024) } : {}),
      ...(status !== "pass" && c.message ? { errorLine: c.message.slice(0, 1000) } : {}),
      ...(Number.isFinite(started) ? { finishedAt: new Date(started + (durationMs ?? 0)).toISOString() } : {}),
    });
    if (!parsed.success) unmapped.push({ index: c.index, name, reason: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") });
    else results.push(parsed.data);
  }
  return { results, unmapped };
}
