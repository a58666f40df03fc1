import { modulesToCheck, parseDkmsStatus, type DkmsState, type DkmsStatus } from "../../domain/dkms-status";
import { tryParseKernelVersion } from "../../domain/kernel-version";
import {
  VERDICTS,
  VERDICT_PHRASE,
  checkOutcome,
  foldByKernel,
  judgeVersion,
  newestCommonPass,
  type EvidenceItem,
  type Verdict,
  type VersionFacts,
} from "../../domain/verdict";
import { MAX_CHECK_MODULES, MODULE_REF_RE, type CheckInput, type CheckResponse, type EvidenceOut, type ModuleVerdictOut } from "../../schemas/check";
import { AppError } from "../errors";
import { cellApi, checkApi, checkPage, kernelPage, moduleMatrixApi, modulePage } from "./check-links";
import { loadCells, loadModules, loadSeriesKernels, type ModuleRow, type VersionRow } from "./load-check-facts";

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

/** The arch of the dkms lines, when they all name the same one. */
function dkmsArch(dkms: DkmsStatus | null): string | null {
  const arches = new Set(dkms?.entries.flatMap((e) => (e.arch ? [e.arch] : [])) ?? []);
  return arches.size === 1 ? [...arches][0] : null;
}

const toEvidence = (slug: string) => (e: EvidenceItem): EvidenceOut => ({
  ...e,
  lastResultAt: e.lastResultAt.toISOString(),
  links: { page: kernelPage(e.kernel), api: cellApi(slug, e.version, e.kernel) },
});

/**
 * The pre-upgrade check: a verdict per module version on the target kernel, with evidence, plus
 * the newest kernel on which all of them pass. Reads the Cell summaries and kernels, never raw
 * results, so it stays fast however many results are stored.
 */
export async function checkModules(input: CheckInput): Promise<CheckResponse> {
  const parsed = tryParseKernelVersion(input.kernel);
  if (!parsed.ok) throw new AppError("validation_failed", parsed.error, [{ path: "kernel", message: parsed.error }]);
  const target = parsed.value;
  const dkms = input.dkmsStatus !== undefined ? parseDkmsStatus(input.dkmsStatus) : null;
  const wanted = collectWanted(input.modules ?? [], dkms);
  if (wanted.length > MAX_CHECK_MODULES) {
    throw new AppError("validation_failed", `too many modules: ${wanted.length} (at most ${MAX_CHECK_MODULES} per check)`);
  }
  const arch = input.arch ?? dkmsArch(dkms);

  const [modules, seriesKernels] = await Promise.all([loadModules(wanted.map((w) => w.slug)), loadSeriesKernels(target)]);
  const choices = wanted.map((w) => {
    const mod = modules.get(w.slug) ?? null;
    const row = mod ? (w.version === null ? mod.versions[0] : mod.versions.find((v) => v.version === w.version)) : undefined;
    return { w, mod, row: row ?? null };
  });
  const cells = await loadCells({
    judgedVersionIds: [...new Set(choices.flatMap((c) => (c.row ? [c.row.id] : [])))],
    allVersionIds: [...new Set(choices.flatMap((c) => c.mod?.versions.map((v) => v.id) ?? []))],
    seriesKernelIds: seriesKernels.ids,
    arch,
  });
  const factsOf = (v: VersionRow, all: boolean): VersionFacts => ({
    version: v.version,
    declaredKernelMin: v.declaredKernelMin,
    declaredKernelMax: v.declaredKernelMax,
    cells: (all ? cells.judged : cells.series).get(v.id) ?? [],
  });

  const results: ModuleVerdictOut[] = choices.map(({ w, mod, row }) => {
    const common = {
      module: w.slug,
      name: mod?.name ?? null,
      versionSource: w.source === "dkms" ? ("dkms" as const) : w.version === null ? ("newest" as const) : ("request" as const),
      dkms: w.dkms,
      links: { page: mod ? modulePage(mod.slug) : null, api: mod ? moduleMatrixApi(mod.slug) : null },
    };
    if (!mod || !row) {
      return { ...common, version: w.version, found: false, ...notFoundVerdict(w, mod, (v) => judgeVersion(target, factsOf(v, false), []).verdict) };
    }
    const others = mod.versions.filter((v) => v.id !== row.id).map((v) => factsOf(v, false));
    const judged = judgeVersion(target, factsOf(row, true), others);
    return {
      ...common,
      version: row.version,
      found: true,
      verdict: judged.verdict,
      reason: judged.reason,
      errorLine: judged.errorLine,
      since: judged.since,
      fixedIn: judged.fixedIn,
      newestAccepting: judged.newestAccepting,
      declaredRange: judged.declaredRange,
      evidence: judged.evidence.map(toEvidence(mod.slug)),
    };
  });

  const found = choices.filter((c) => c.row !== null);
  const safe = newestCommonPass(
    found.map((c) => foldByKernel(cells.judged.get(c.row!.id) ?? []).flatMap((s) => (s.status === "pass" ? [s.kernel] : []))),
    target.distro,
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
      known: seriesKernels.targetKnown,
      series: target.series,
      base: target.base,
      distro: target.distro,
      distroRelease: target.distroRelease,
      flavour: target.flavour,
    },
    arch,
    outcome: checkOutcome(results.map((r) => r.verdict)),
    counts,
    modules: results,
    newestSafeKernel: {
      overall: safe.overall?.raw ?? null,
      inDistro: safe.inDistro?.raw ?? null,
      distro: target.distro,
      considered: found.map((c) => `${c.mod!.slug}@${c.row!.version}`),
    },
    dkms: dkms ? { entries: dkms.entries.length, problems: dkms.problems } : null,
    links: { self: checkPage(query), api: checkApi(query) },
  };
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
    reason,
    errorLine: null,
    since: null,
    fixedIn: null,
    newestAccepting: null,
    declaredRange: null,
    evidence: [],
  };
}
