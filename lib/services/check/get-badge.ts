import { db } from "../../db/client";
import { isSeries, tryParseKernelVersion } from "../../domain/kernel-version";
import type { Verdict } from "../../domain/verdict";
import { MODULE_REF_RE } from "../../schemas/check";
import { checkModules } from "./check-modules";

export const BADGE_OUTCOMES = ["verdict", "unknown-module", "unknown-version", "not-a-kernel"] as const;
export type BadgeOutcome = (typeof BADGE_OUTCOMES)[number];

/** What a badge says; lib/http/badge.ts renders it (SVG, colour, HTTP status). */
export interface BadgeFacts {
  outcome: BadgeOutcome;
  label: string;
  message: string;
  verdict: Verdict | null;
  /** the kernel the verdict is for (a series resolves to one of its kernels) */
  kernel: string | null;
}

/** The newest kernel of a series with a result for the version, else the newest of the series. */
async function kernelOfSeries(slug: string, version: string | null, series: string): Promise<string> {
  const [withCell] = await db().$queryRaw<{ version: string }[]>`
    SELECT k.version FROM "Cell" c JOIN "Kernel" k ON k.id = c."kernelId"
    WHERE c."moduleVersionId" = (
      SELECT mv.id FROM "ModuleVersion" mv JOIN "Module" m ON m.id = mv."moduleId"
      WHERE m.slug = ${slug} AND (${version}::text IS NULL OR mv.version = ${version}::text)
      ORDER BY mv."sortKey" DESC LIMIT 1)
    AND k.series = ${series}
    ORDER BY k."sortKey" DESC LIMIT 1`;
  if (withCell) return withCell.version;
  const [any] = await db().$queryRaw<{ version: string }[]>`SELECT version FROM "Kernel" WHERE series = ${series} ORDER BY "sortKey" DESC LIMIT 1`;
  return any?.version ?? series;
}

/**
 * "v4l2loopback 0.12.7 | 6.12: broken". `target` is a kernel ("6.12.107+deb12-amd64") or a series
 * ("6.12", judged on the newest kernel of it that has a result for the version). Unknown modules,
 * versions and unparsable kernels give a badge that says so (lib/http/badge.ts: grey, 404 or 422).
 */
export async function getBadge(opts: { module: string; target: string; version?: string }): Promise<BadgeFacts> {
  const slug = opts.module.toLowerCase();
  const version = opts.version ?? null;
  if (!MODULE_REF_RE.test(slug) || slug.includes("@")) {
    return { outcome: "unknown-module", label: slug.slice(0, 60), message: "unknown module", verdict: null, kernel: null };
  }
  const kernel = isSeries(opts.target) ? await kernelOfSeries(slug, version, opts.target) : opts.target;
  const label = version ? `${slug} ${version}` : slug;
  if (!tryParseKernelVersion(kernel).ok) {
    return { outcome: "not-a-kernel", label, message: `${opts.target.slice(0, 60)}: not a kernel`, verdict: null, kernel: null };
  }
  const out = await checkModules({ kernel, modules: [version ? `${slug}@${version}` : slug] });
  const m = out.modules[0];
  if (!m.found) {
    return m.name === null
      ? { outcome: "unknown-module", label, message: "unknown module", verdict: null, kernel: null }
      : { outcome: "unknown-version", label, message: "unknown version", verdict: null, kernel: null };
  }
  return { outcome: "verdict", label: `${slug} ${m.version}`, message: `${opts.target}: ${m.verdict}`, verdict: m.verdict, kernel: out.kernel.version };
}
