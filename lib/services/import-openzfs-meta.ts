import { createHash } from "node:crypto";
import { db } from "../db/client";
import { moduleVersionSortKey } from "../domain/module-version";
import { recordableReleases, type MetaTagType } from "../domain/openzfs-meta";
import { readOpenzfsMeta, type MetaSourceKind } from "./openzfs/read-openzfs-meta";
import { INGEST_LOCK } from "./regressions/lock";
import { updateIncidents } from "./regressions/update-incidents";

export const OPENZFS_SLUG = "zfs";
/** The Run.source under which each import is recorded, so the pages show where these versions came from. */
export const OPENZFS_META_SOURCE = "openzfs-meta";

export interface OpenzfsMetaImport {
  kind: MetaSourceKind;
  /** releases recorded (one module version each) */
  releases: number;
  created: number;
  updated: number;
  /** releases with a date, and without (bare META files carry none) */
  dated: number;
  skipped: Record<MetaTagType, number>;
  /** false when the same input had been imported before (its provenance run already exists) */
  newRun: boolean;
}

/**
 * `modcompat import openzfs-meta` and the demo: record every OpenZFS release of a git checkout, a
 * directory of META files or the openzfs-meta CSV as a module version of `zfs` with its declared
 * kernel range and release date (with the tag it came from), and no build results, so the check
 * can answer "declared" for releases nobody built here. A declared range or date the input lacks
 * never erases a stored one; the input's own values overwrite. The import is recorded as a run with
 * no results and its provenance, in one transaction with the versions it writes.
 */
export async function importOpenzfsMeta(input: string, opts: { label?: string; provenance?: string } = {}): Promise<OpenzfsMetaImport> {
  const src = readOpenzfsMeta(input, { label: opts.label });
  const { releases, skipped } = recordableReleases(src.records);
  // The same releases read from another path are the same import: the digest leaves the source text out.
  const digest = createHash("sha256")
    .update(JSON.stringify(releases.map((r) => ({ ...r, source: undefined }))))
    .digest("hex")
    .slice(0, 16);
  return db().$transaction(
    async (tx) => {
      // The ingest lock: incidents are rewritten from what is committed.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${INGEST_LOCK}::bigint)`;
      const mod = await tx.module.upsert({
        where: { slug: OPENZFS_SLUG },
        create: { slug: OPENZFS_SLUG, name: "OpenZFS", homepage: "https://openzfs.org/" },
        update: {},
        select: { id: true },
      });
      const existing = new Set((await tx.moduleVersion.findMany({ where: { moduleId: mod.id }, select: { version: true } })).map((v) => v.version));
      let created = 0;
      for (const r of releases) {
        const data = {
          ...(r.declaredKernelMin ? { declaredKernelMin: r.declaredKernelMin } : {}),
          ...(r.declaredKernelMax ? { declaredKernelMax: r.declaredKernelMax } : {}),
          ...(r.releasedOn ? { releasedAt: new Date(`${r.releasedOn}T00:00:00Z`), releasedAtSource: r.source } : {}),
        };
        if (existing.has(r.version)) {
          if (Object.keys(data).length > 0) await tx.moduleVersion.update({ where: { moduleId_version: { moduleId: mod.id, version: r.version } }, data });
        } else {
          await tx.moduleVersion.create({ data: { moduleId: mod.id, version: r.version, sortKey: moduleVersionSortKey(r.version), ...data } });
          created += 1;
        }
      }
      const externalId = `${src.kind}-${digest}`;
      const known = await tx.run.findUnique({ where: { source_externalId: { source: OPENZFS_META_SOURCE, externalId } }, select: { id: true } });
      const summary = { kind: src.kind, releases: releases.length, created, updated: releases.length - created, dated: releases.filter((r) => r.releasedOn).length, skipped };
      if (!known) {
        await tx.run.create({
          data: {
            source: OPENZFS_META_SOURCE,
            externalId,
            resultCount: 0,
            bodyHash: digest,
            summary,
            finishedAt: new Date(),
            // `description` is what the pages' provenance note (DataSourceNote) prints.
            meta: {
              description:
                opts.provenance ??
                `OpenZFS releases and their declared kernel ranges (META Linux-Minimum/Maximum) and tag dates, read from ${opts.label ?? input} (${src.kind}); no build results`,
              releases: releases.length,
              skippedReleaseCandidates: skipped["release-candidate"],
              skippedDevBranchMarkers: skipped["dev-branch-marker"],
            },
          },
        });
      }
      // New release dates move the fix dates of zfs incidents.
      await updateIncidents(tx, { moduleIds: [mod.id] });
      return { ...summary, newRun: !known };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
