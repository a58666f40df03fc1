import { resolveModuleSlugs } from "../resolve-module-slugs";
import { moduleSlugCandidates } from "../../domain/module-alias";
import { modulesToCheck, parseDkmsStatus, type DkmsState, type DkmsStatus } from "../../domain/dkms-status";
import { kernelLine, lineLabel, tryParseKernelVersion } from "../../domain/kernel-version";
import { isUpcoming, upstreamOf } from "../../domain/kernel-release";
import { db } from "../../db/client";
import {
  VERDICTS,
  VERDICT_PHRASE,
  checkOutcome,
  judgeVersion,
  newestCommonPass,
  type CellsBySeries,
  type EvidenceItem,
  type KernelCell,
  type Verdict,
  type VersionFacts,
  type VersionVerdict,
} from "../../domain/verdict";
import { MAX_CHECK_MODULES, MODULE_REF_RE, type CheckInput, type CheckResponse, type EvidenceOut, type ModuleVerdictOut } from "../../schemas/check";
import { AppError } from "../errors";
import { addPredictions } from "../predictions/add-predictions";
import { keptUpstream, rememberUpstream, rememberVerdict } from "./check-cache";
import { cellApi, cellPage, checkApi, checkPage, moduleMatrixApi, modulePage } from "../../links";
import { cellKey, loadCellDetails, loadCheckBasis, loadSeriesCells, type ModuleRow, type VersionRow } from "./load-check-facts";

interface Wanted {
  slug: string;
  version: string | null;
  source: "request" | "dkms";
  dkms: { states: DkmsState[]; lines: number[]; otherVersions: string[] } | null;
}

/** Explicit name@version refs first; dkms lines add the modules not named explicitly. */
function collectWanted(refs: readonly string[], dkms: DkmsStatus | null): Wanted[] {
  const out = new Map<string, Wanted>();
  refs.forEach((ref, i) => {
    const m = MODULE_REF_RE.exec(ref.trim());
    if (!m?.groups) {
      const message = `"${ref.slice(0, 120)}" is not name@version (e.g. zfs@2.2.4)`;
      throw new AppError("validation_failed", message, [{ path: `module[${i}]`, message }]);
    }
    const slug = m.groups.module.toLowerCase();
    if (!out.has(slug)) out.set(slug, { slug, version: m.groups.version ?? null, source: "request", dkms: null });
  });
  for (const d of dkms ? modulesToCheck(dkms.entries) : []) {
    const slug = d.module.toLowerCase();
    if (!out.has(slug)) {
      out.set(slug, { slug, version: d.version, source: "dkms", dkms: { states: d.states, lines: d.lines, otherVersions: d.otherVersions } });
    }
  }
  return [...out.values()];
}

/**
 * Every module slug a check's answer can depend on: each name it gives (modules, dkms lines) and
 * each slug that name may resolve to (lib/domain/module-alias.ts). Throws as the check does on a
 * malformed module reference.
 */
export function checkRequestSlugs(input: CheckInput): string[] {
  const dkms = input.dkmsStatus !== undefined ? parseDkmsStatus(input.dkmsStatus) : null;
  return [...new Set(collectWanted(input.modules ?? [], dkms).flatMap((w) => moduleSlugCandidates(w.slug)))].sort();
}

/** The kernel string a check looks up (the parsed target's), or the input as given when it does not parse. */
export function checkTarget(input: CheckInput): string {
  const parsed = tryParseKernelVersion(input.kernel);
  return parsed.ok ? parsed.value.raw : input.kernel;
}

/** The arch of the dkms lines, when they all name the same one. */
function dkmsArch(dkms: DkmsStatus | null): string | null {
  const arches = new Set(dkms?.entries.flatMap((e) => (e.arch ? [e.arch] : [])) ?? []);
  return arches.size === 1 ? [...arches][0] : null;
}

const toEvidence = (slug: string, upstream: ReadonlyMap<string, string>) => (e: EvidenceItem): EvidenceOut => ({
  ...e,
  lastResultAt: e.lastResultAt.toISOString(),
  kernelUpstream: upstreamOf({ version: e.kernel, upstreamVersion: upstream.get(e.kernel) ?? null }),
  links: { page: cellPage(slug, e.version, e.kernel), api: cellApi(slug, e.version, e.kernel) },
});

const facts = (v: VersionRow, cells: readonly KernelCell[], elsewhere?: CellsBySeries): VersionFacts => ({
  version: v.version,
  declaredKernelMin: v.declaredKernelMin,
  declaredKernelMax: v.declaredKernelMax,
  cells,
  elsewhere,
});

/**
 * The pre-upgrade check: a verdict per module version on the target kernel, with evidence, plus
 * the newest kernel on which all of them pass. Reads Cell summaries and kernels, never raw
 * results, in two round trips (lib/services/check/load-check-facts.ts).
 */
export async function checkModules(input: CheckInput): Promise<CheckResponse> {
  const parsed = tryParseKernelVersion(input.kernel);
  if (!parsed.ok) throw new AppError("validation_failed", parsed.error, [{ path: "kernel", message: parsed.error }]);
  const target = parsed.value;
  const dkms = input.dkmsStatus !== undefined ? parseDkmsStatus(input.dkmsStatus) : null;
  const named = collectWanted(input.modules ?? [], dkms);
  // zfs-dkms, openzfs → zfs (lib/domain/module-alias.ts); no query unless such a name was given.
  const slugs = await resolveModuleSlugs(named.map((w) => w.slug));
  const wanted: Wanted[] = [];
  for (const w of named) {
    const slug = slugs.get(w.slug)!;
    if (!wanted.some((x) => x.slug === slug)) wanted.push({ ...w, slug });
  }
  if (wanted.length > MAX_CHECK_MODULES) {
    throw new AppError("validation_failed", `too many modules: ${wanted.length} (at most ${MAX_CHECK_MODULES} per check)`);
  }
  const arch = input.arch ?? dkmsArch(dkms);

  const basis = await loadCheckBasis({ wanted, series: target.series, target: target.raw, arch });
  const choices = wanted.map((w) => {
    const mod = basis.modules.get(w.slug) ?? null;
    const id = basis.judged.get(w.slug);
    return { w, mod, row: (id !== undefined && mod?.versions.find((v) => v.id === id)) || null };
  });

  // Phase 1 judges from what the basis holds: every cell of the judged versions, in full on the
  // target's series. Only modules that need more (an alternative version, or the start of a run
  // of failures outside the series) cost a second round trip; then those are judged again.
  // Versions settled in check-cache.ts are not judged again at all.
  const open = (row: VersionRow | null): row is VersionRow => row !== null && !basis.settled.has(row.id);
  // The target's series as the rules' cells; every series (that one included) for the walks beyond it.
  const factsOf = (row: VersionRow, cells: CellsBySeries | undefined) => facts(row, cells?.cells(target.series) ?? [], cells);
  const cellsOf = (row: VersionRow, details: Map<string, KernelCell[]>) => basis.cells.get(row.id)?.withDetails(row.id, details);
  const first = choices.map(({ row }) => (open(row) ? judgeVersion(target, factsOf(row, basis.cells.get(row.id))) : null));
  const needs = new Set(
    choices.filter((c, i) => c.mod && (!c.row || first[i]?.verdict === "broken" || first[i]?.verdict === "unsupported")).map((c) => c.w.slug),
  );
  const pairs = first.flatMap((v, i) => {
    const row = choices[i].row;
    if (!v || !row) return [];
    return v.evidence.flatMap((e) => {
      const kernelId = basis.kernelIds.get(e.kernel);
      return kernelId === undefined || basis.detailed.has(cellKey(row.id, e.kernel)) ? [] : [{ versionId: row.id, kernelId }];
    });
  });
  const [more, series] =
    pairs.length === 0 && needs.size === 0
      ? [new Map<string, KernelCell[]>(), new Map<number, readonly KernelCell[]>()]
      : await Promise.all([
          loadCellDetails(pairs, arch),
          loadSeriesCells(
            choices.flatMap((c) => (needs.has(c.w.slug) ? c.mod!.versions.filter((v) => v.id !== c.row?.id).map((v) => v.id) : [])),
            target.series,
            arch,
          ),
        ]);
  const others = (mod: ModuleRow, except: number) => mod.versions.filter((v) => v.id !== except).map((v) => facts(v, series.get(v.id) ?? []));
  const detailed = new Set(pairs.map((p) => p.versionId));
  const verdicts: (VersionVerdict | null)[] = choices.map(({ w, mod, row }, i) => {
    if (!mod || !row) return null;
    const kept = basis.settled.get(row.id);
    if (kept) return kept.verdict;
    const v =
      needs.has(w.slug) || detailed.has(row.id)
        ? judgeVersion(target, factsOf(row, cellsOf(row, more)), needs.has(w.slug) ? others(mod, row.id) : [])
        : first[i]!;
    rememberVerdict(mod.stamp, row.id, arch, target.raw, v);
    return v;
  });

  const upstream = await loadKernelUpstreams(basis.kernelsStamp, verdicts.flatMap((v) => v?.evidence.map((e) => e.kernel) ?? []));
  const results: ModuleVerdictOut[] = choices.map(({ w, mod, row }, i) => {
    const common = {
      module: w.slug,
      name: mod?.name ?? null,
      versionSource: w.source === "dkms" ? ("dkms" as const) : w.version === null ? ("newest" as const) : ("request" as const),
      dkms: w.dkms,
      links: { page: mod ? modulePage(mod.slug) : null, api: mod ? moduleMatrixApi(mod.slug) : null },
    };
    const judged = verdicts[i];
    if (!mod || !row || !judged) {
      return { ...common, version: w.version, found: false, ...notFoundVerdict(w, mod, (v) => judgeVersion(target, facts(v, series.get(v.id) ?? [])).verdict) };
    }
    return {
      ...common,
      version: row.version,
      found: true,
      verdict: judged.verdict,
      basis: judged.basis,
      reason: judged.reason,
      errorLine: judged.errorLine,
      since: judged.since,
      fixedIn: judged.fixedIn,
      newestAccepting: judged.newestAccepting,
      declaredRange: judged.declaredRange,
      evidence: judged.evidence.map(toEvidence(mod.slug, upstream)),
    };
  });

  await addPredictions(results, target.raw);
  const found = choices.filter((c) => c.row !== null);
  const safe = newestCommonPass(
    found.map(({ row }) => basis.settled.get(row!.id)?.cells ?? basis.cells.get(row!.id) ?? []),
    target,
  );
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const r of results) counts[r.verdict] += 1;
  const query = {
    kernel: target.raw,
    modules: results.map((r) => (r.version ? `${r.module}@${r.version}` : r.module)),
    arch,
  };
  return {
    kernel: {
      version: target.raw,
      known: basis.targetKnown,
      series: target.series,
      base: target.base,
      distro: target.distro,
      distroRelease: target.distroRelease,
      flavour: target.flavour,
      prerelease: isUpcoming({ rc: target.rc, prerelease: basis.targetMeta?.prerelease ?? false }),
      upstreamVersion: basis.targetMeta ? upstreamOf({ version: target.raw, upstreamVersion: basis.targetMeta.upstreamVersion }) : upstreamOf({ version: target.raw, upstreamVersion: null }),
      releasedAt: basis.targetMeta?.releasedAt ?? null,
      releasedAtSource: basis.targetMeta?.releasedAtSource ?? null,
    },
    arch,
    outcome: checkOutcome(results.map((r) => r.verdict)),
    counts,
    modules: results,
    newestSafeKernel: {
      overall: safe.overall?.raw ?? null,
      inLine: safe.inLine?.raw ?? null,
      line: lineLabel(kernelLine(target)),
      considered: found.map((c) => `${c.mod!.slug}@${c.row!.version}`),
    },
    dkms: dkms ? { entries: dkms.entries.length, problems: dkms.problems } : null,
    links: { self: checkPage(query), api: checkApi(query) },
  };
}

/**
 * The reported Linux versions of evidence kernels whose string does not carry it (Debian's
 * 6.1.0-56-amd64 is Linux 6.1.192): kept per kernels' stamp (check-cache.ts), so only the first check
 * that cites a kernel pays one indexed lookup, and none at all when every string carries it.
 */
async function loadKernelUpstreams(kernelsStamp: string, kernels: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const missing: string[] = [];
  for (const k of new Set(kernels)) {
    if (upstreamOf({ version: k, upstreamVersion: null }) !== null) continue;
    const kept = keptUpstream(kernelsStamp, k);
    if (kept === undefined) missing.push(k);
    else if (kept !== null) out.set(k, kept);
  }
  if (missing.length === 0) return out;
  const rows = await db().kernel.findMany({ where: { version: { in: missing } }, select: { version: true, upstreamVersion: true } });
  const found = new Map(rows.map((r) => [r.version, r.upstreamVersion]));
  for (const k of missing) {
    const up = found.get(k) ?? null;
    rememberUpstream(kernelsStamp, k, up);
    if (up) out.set(k, up);
  }
  return out;
}

/** An unknown module or version: unknown, with a pointer to what the server does know. */
function notFoundVerdict(w: Wanted, mod: ModuleRow | null, verdictOf: (v: VersionRow) => Verdict) {
  let reason: string;
  if (!mod) reason = `module "${w.slug}" is not known to this server (no results for it)`;
  else if (mod.versions.length === 0) reason = `module "${w.slug}" has no versions with results`;
  else {
    const newest = mod.versions[0];
    reason = `no results for ${w.slug} ${w.version} on this server; the newest known version, ${newest.version}, ${VERDICT_PHRASE[verdictOf(newest)]} on this kernel`;
  }
  return {
    verdict: "unknown" as const,
    basis: "none" as const,
    reason,
    errorLine: null,
    since: null,
    fixedIn: null,
    newestAccepting: null,
    declaredRange: null,
    evidence: [],
  };
}
