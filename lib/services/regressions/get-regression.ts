import { db } from "../../db/client";
import { compareKernels, kernelLine } from "../../domain/kernel-version";
import { compareModuleVersions } from "../../domain/module-version";
import { buildLineGrids, incidentNeighbourhood, type NeighbourRow } from "../../domain/regressions";
import { notFound } from "../errors";
import { toResultView, type ResultView } from "../result-view";
import { loadIncidentRows } from "./incident-rows";
import { toSummary, type IncidentSummary } from "./incident-summary";
import { loadDetectionInput } from "./load-detection-input";

/** A raw result cited as evidence: as cell pages show it, plus where it sits and what it decided. */
export type EvidenceResult = ResultView<{ id: number; source: string; externalId: string; url: string | null }> & {
  version: string;
  kernel: string;
  /** the result that opened the incident, or the one that showed the fix */
  role: "opened" | "fixed" | null;
};

export interface RegressionDetail {
  incident: IncidentSummary;
  /** the kernels of the line around the break, with the state of the affected and fixing versions */
  neighbourhood: { kernels: string[]; rows: NeighbourRow[] };
  evidence: EvidenceResult[];
}

const MAX_EVIDENCE = 60;

export async function getRegression(id: number): Promise<RegressionDetail> {
  const [row] = await loadIncidentRows({ id }, "oldest");
  if (!row) throw notFound(`regression ${id}`);
  const incident = toSummary(row);

  const input = await loadDetectionInput(db(), row.moduleId, { arch: row.arch });
  const grid = buildLineGrids(input.results.filter((r) => kernelLine(r.kernel) === row.line)).find((g) => g.line === row.line);
  const neighbourhood = grid ? incidentNeighbourhood(grid, incident) : { kernels: [], rows: [] };

  const fixedResult = row.fixedResultId ? input.results.find((r) => r.id === row.fixedResultId) : undefined;
  const kernels = [incident.lastGoodKernel, incident.firstBadKernel, incident.fixedInKernel, fixedResult?.kernel].filter((k): k is string => !!k);
  const versions = [...incident.affectedVersions, incident.fixedIn].filter((v): v is string => !!v);
  const results = await db().result.findMany({
    where: {
      arch: row.arch,
      kernelId: { in: kernels.map((k) => input.kernelIds.get(k)!).filter(Boolean) },
      moduleVersionId: { in: versions.map((v) => input.versionIds.get(v)!).filter(Boolean) },
    },
    include: { run: { select: { id: true, source: true, externalId: true, url: true } }, kernel: { select: { version: true } }, moduleVersion: { select: { version: true } } },
    orderBy: [{ finishedAt: "asc" }, { id: "asc" }],
    take: 500,
  });
  const evidence = results
    .map(
      (r): EvidenceResult => ({
        ...toResultView(r),
        version: r.moduleVersion.version,
        kernel: r.kernel.version,
        role: r.id === row.openedResultId ? "opened" : r.id === row.fixedResultId ? "fixed" : null,
      }),
    )
    // The deciding results first, then kernel order and version order.
    .sort((a, b) => rank(a) - rank(b) || compareKernels(a.kernel, b.kernel) || compareModuleVersions(a.version, b.version) || a.finishedAt.getTime() - b.finishedAt.getTime())
    .slice(0, MAX_EVIDENCE);
  return { incident, neighbourhood, evidence };
}

const rank = (r: EvidenceResult) => (r.role === "opened" ? 0 : r.role === "fixed" ? 1 : 2);
