/**
 * The runner's side of the HTTP API: the ingest body, chunking into ≤ 5000 results per request,
 * posting with a bearer token, and `GET /api/v1/results/known` for --skip-known.
 */
import { excerptLog } from "../domain/error-line";
import {
  ingestBodySchema,
  type IngestBody,
  type IngestResult,
  type KernelInfo,
  type ModuleInfo,
} from "../schemas/ingest";
import { knownResultsResponseSchema } from "../schemas/read";
import type { BuildOutcome } from "./build-one";
import type { KernelTarget } from "./kernels";
import type { ModuleSource } from "./sources";

export function toIngestResult(o: BuildOutcome, logMaxBytes: number): IngestResult {
  const { excerpt, truncated } = excerptLog(o.log, logMaxBytes);
  return {
    module: o.module,
    moduleVersion: o.moduleVersion,
    kernel: o.kernel,
    arch: o.arch,
    stage: "build",
    status: o.status,
    durationMs: Math.max(0, Math.round(o.durationMs)),
    ...(excerpt ? { log: excerpt } : {}),
    ...(truncated ? { logTruncated: true } : {}),
    ...(o.errorLine ? { errorLine: o.errorLine.slice(0, 1000) } : {}),
    ...(o.compiler ? { compiler: o.compiler.slice(0, 200) } : {}),
    finishedAt: o.finishedAt,
    ...(o.footprint && o.status === "pass" ? { footprint: o.footprint } : {}),
  };
}

/** modules[] with each version's declared kernel range. */
export function moduleInfos(sources: readonly ModuleSource[]): ModuleInfo[] {
  const bySlug = new Map<string, ModuleInfo>();
  for (const s of sources) {
    const info = bySlug.get(s.slug) ?? { slug: s.slug, name: s.dkmsName.slice(0, 200), versions: [] };
    const versions = info.versions ?? [];
    if (!versions.some((v) => v.version === s.version)) {
      versions.push({
        version: s.version,
        ...(s.releasedAt ? { releasedAt: s.releasedAt, releasedAtSource: s.releasedAtSource } : {}),
        ...(s.declaredKernelMin ? { declaredKernelMin: s.declaredKernelMin.slice(0, 50) } : {}),
        ...(s.declaredKernelMax ? { declaredKernelMax: s.declaredKernelMax.slice(0, 50) } : {}),
      });
    }
    info.versions = versions;
    bySlug.set(s.slug, info);
  }
  return [...bySlug.values()];
}

/** kernels[]: what each header package says of its kernel (Linux version, upload date, pre-release). */
export function kernelInfos(targets: readonly KernelTarget[]): KernelInfo[] {
  return targets
    .filter((t) => t.headersPresent)
    .map((t) => ({
      kernel: t.kernel,
      ...(t.headerPackage ? { package: t.headerPackage.package, packageVersion: t.headerPackage.version } : {}),
      ...(t.upstreamVersion ? { upstreamVersion: t.upstreamVersion } : {}),
      ...(t.releasedAt ? { releasedAt: t.releasedAt } : {}),
      ...(t.releasedAtSource ? { releasedAtSource: t.releasedAtSource } : {}),
      ...(t.prerelease ? { prerelease: true } : {}),
    }));
}

// Shared with lib/services/load-demo.ts, which stores the demo in the same parts.
export { chunkBodies } from "../schemas/ingest-chunks";

export function validateBody(body: IngestBody): IngestBody {
  const parsed = ingestBodySchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 10)
      .map((i) => `${i.path.join(".")}: ${i.message}`)
      .join("; ");
    throw new Error(`the report does not match the ingest schema: ${issues}`);
  }
  return parsed.data;
}

export interface PostOutcome {
  ok: boolean;
  status: number;
  body: unknown;
}

function authHeaders(token: string | undefined): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

function apiUrl(server: string, p: string): string {
  return server.replace(/\/+$/, "") + p;
}

export interface PostRetry {
  /** attempts in all (default 5) */
  attempts?: number;
  /** per attempt (default 120 s: a 5,000-result batch is recomputed in one transaction) */
  timeoutMs?: number;
  /** first back-off; doubles each time, capped at 30 s, or the server's Retry-After (default 1 s) */
  backoffMs?: number;
}

/**
 * POST one batch, retrying network errors, timeouts, 429 and 502/503/504 with back-off. The run
 * id makes retries idempotent: a batch stored before its answer was lost answers `replayed`.
 */
export async function postBody(server: string, token: string | undefined, body: IngestBody, retry: PostRetry = {}): Promise<PostOutcome> {
  const attempts = retry.attempts ?? 5;
  let wait = retry.backoffMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(apiUrl(server, "/api/v1/results"), {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", ...authHeaders(token) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(retry.timeoutMs ?? 120_000),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* keep text */
      }
      const outcome: PostOutcome = { ok: res.ok, status: res.status, body: parsed };
      const retryAfter = Number(res.headers.get("retry-after"));
      if (![429, 502, 503, 504].includes(res.status) || attempt >= attempts) return outcome;
      if (retryAfter > 0) wait = retryAfter * 1000;
    } catch (e) {
      if (attempt >= attempts) throw new Error(`POST ${apiUrl(server, "/api/v1/results")}: no answer after ${attempts} attempts (${(e as Error).name === "TimeoutError" ? "timeout" : ((e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message)})`, { cause: e });
    }
    await new Promise((r) => setTimeout(r, Math.min(wait, 30_000)));
    wait = Math.min(wait * 2, 30_000);
  }
}

export function comboKey(c: { module: string; moduleVersion: string; kernel: string; arch: string }): string {
  return `${c.module}\u0000${c.moduleVersion}\u0000${c.kernel}\u0000${c.arch}`;
}

/** Combinations the server already has results for from this source (every page of /results/known). */
export async function fetchKnown(server: string, token: string | undefined, source: string): Promise<Set<string>> {
  const known = new Set<string>();
  let after: string | null = null;
  do {
    const url = apiUrl(server, `/api/v1/results/known?source=${encodeURIComponent(source)}${after ? `&after=${after}` : ""}`);
    const res = await fetch(url, { headers: { Accept: "application/json", ...authHeaders(token) } });
    const text = await res.text();
    if (!res.ok) throw new Error(`GET ${url} → HTTP ${res.status}: ${text.slice(0, 500)}`);
    const parsed = knownResultsResponseSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`GET ${url}: unexpected answer (expected { known: [...], next })`);
    for (const c of parsed.data.known) known.add(comboKey(c));
    if (parsed.data.next !== null && parsed.data.next === after) throw new Error(`GET ${url}: the cursor did not move`);
    after = parsed.data.next;
  } while (after !== null);
  return known;
}
