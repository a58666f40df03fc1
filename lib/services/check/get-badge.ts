import { makeBadge } from "badge-maker";
import { db } from "../../db/client";
import { isSeries, tryParseKernelVersion } from "../../domain/kernel-version";
import { type Verdict } from "../../domain/verdict";
import { MODULE_REF_RE } from "../../schemas/check";
import { checkModules } from "./check-modules";

/** Badge colours; the message always carries the verdict word too. */
export const VERDICT_BADGE_COLOR: Record<Verdict, string> = {
  works: "brightgreen",
  likely: "yellowgreen",
  broken: "red",
  unsupported: "orange",
  unknown: "lightgrey",
};

export interface Badge {
  svg: string;
  status: number;
  verdict: Verdict | null;
  /** the kernel the verdict is for (a series resolves to one of its kernels) */
  kernel: string | null;
}

const badge = (label: string, message: string, color: string) => makeBadge({ label, message, color, style: "flat" });

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
 * versions and unparsable kernels still get a (grey) badge, with a 404 or 422 status.
 */
export async function getBadge(opts: { module: string; target: string; version?: string }): Promise<Badge> {
  const slug = opts.module.toLowerCase();
  const version = opts.version ?? null;
  if (!MODULE_REF_RE.test(slug) || slug.includes("@")) {
    return { svg: badge(slug.slice(0, 60), "unknown module", VERDICT_BADGE_COLOR.unknown), status: 404, verdict: null, kernel: null };
  }
  const kernel = isSeries(opts.target) ? await kernelOfSeries(slug, version, opts.target) : opts.target;
  const label = version ? `${slug} ${version}` : slug;
  if (!tryParseKernelVersion(kernel).ok) {
    return { svg: badge(label, `${opts.target.slice(0, 60)}: not a kernel`, VERDICT_BADGE_COLOR.unknown), status: 422, verdict: null, kernel: null };
  }
  const out = await checkModules({ kernel, modules: [version ? `${slug}@${version}` : slug] });
  const m = out.modules[0];
  if (!m.found) {
    return { svg: badge(label, m.name === null ? "unknown module" : "unknown version", VERDICT_BADGE_COLOR.unknown), status: 404, verdict: null, kernel: null };
  }
  return { svg: badge(`${slug} ${m.version}`, `${opts.target}: ${m.verdict}`, VERDICT_BADGE_COLOR[m.verdict]), status: 200, verdict: m.verdict, kernel: out.kernel.version };
}
