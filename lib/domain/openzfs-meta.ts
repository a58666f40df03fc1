import { isValidModuleVersion } from "./module-version";

/**
 * OpenZFS declares the kernels each release supports in the `META` file at the root of its
 * repository (`Linux-Minimum: 4.18`, `Linux-Maximum: 6.8`). These rules turn one tag's META (from a
 * git checkout, a directory of META files, or a row of the shared CSV made from the upstream tags,
 * ../shared/data/openzfs-meta.csv) into a module version with its declared range and date. Pure.
 *
 * Which tags count: releases (Release: 1, and the 0.6.3-1.x respins) are recorded. Release
 * candidates are left out: no distribution ships them and users do not run them, so they would
 * only crowd the version list (54 of the 165 tags). The `x.y.99` tags mark the start of a
 * development cycle on master and are not releases at all.
 */

export const META_TAG_TYPES = ["release", "release-candidate", "dev-branch-marker"] as const;
export type MetaTagType = (typeof META_TAG_TYPES)[number];

/** `Key: value` lines of a META file; later keys win, other lines are ignored. */
export function parseMetaFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Za-z][A-Za-z0-9_-]*):\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** The kind of tag, from META's Version and Release fields (as the CSV's tag_type column says). */
export function metaTagType(version: string, release: string | undefined): MetaTagType {
  if (/\.99$/.test(version)) return "dev-branch-marker";
  if (release && /^rc\d+$/i.test(release)) return "release-candidate";
  return "release";
}

/** The module version a tag stands for: the tag without "zfs-" (zfs-2.2.4 → 2.2.4, zfs-0.6.3-1.1 → 0.6.3-1.1). */
export function versionOfTag(tag: string, metaVersion: string, metaRelease: string | undefined): string {
  const fromTag = tag.replace(/^zfs-/, "");
  if (isValidModuleVersion(fromTag)) return fromTag;
  return metaRelease && metaRelease !== "1" ? `${metaVersion}-${metaRelease}` : metaVersion;
}

export interface MetaRelease {
  /** module version, e.g. 2.2.4 */
  version: string;
  tag: string | null;
  commit: string | null;
  tagType: MetaTagType;
  declaredKernelMin: string | null;
  declaredKernelMax: string | null;
  /** YYYY-MM-DD, the tagged commit's committer date; null when the source has none (bare META files) */
  releasedOn: string | null;
  /** where the date and range come from, shown next to them */
  source: string;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const empty = (s: string | undefined | null) => (s === undefined || s === null || s.trim() === "" ? null : s.trim());

export class MetaRecordError extends Error {}

/** One row of the openzfs-meta CSV (columns documented in ../shared/data/SOURCES.md). */
export function releaseFromCsvRow(row: Record<string, string>, where: string): MetaRelease {
  const tag = empty(row.tag);
  const version = empty(row.version);
  if (!tag || !version) throw new MetaRecordError(`${where}: a row needs "tag" and "version" (got ${JSON.stringify(row).slice(0, 200)})`);
  const type = empty(row.tag_type) ?? metaTagType(version, empty(row.meta_release) ?? undefined);
  if (!(META_TAG_TYPES as readonly string[]).includes(type)) throw new MetaRecordError(`${where}: unknown tag_type "${type}" (expected ${META_TAG_TYPES.join(", ")})`);
  const date = empty(row.tag_commit_date);
  if (date && !DATE_RE.test(date)) throw new MetaRecordError(`${where}: tag_commit_date "${date}" is not YYYY-MM-DD`);
  const commit = empty(row.tag_commit);
  return {
    version: versionOfTag(tag, version, empty(row.meta_release) ?? undefined),
    tag,
    commit,
    tagType: type as MetaTagType,
    declaredKernelMin: empty(row.linux_minimum),
    declaredKernelMax: empty(row.linux_maximum),
    releasedOn: date,
    source: `OpenZFS upstream tag ${tag}${commit ? ` (commit ${commit.slice(0, 12)})` : ""}: commit date and META Linux-Minimum/Maximum, via ${where}`,
  };
}

/** One tag's META file, read from a git checkout (with its tag, commit and date) or a bare file. */
export function releaseFromMeta(input: { meta: string; tag: string | null; commit: string | null; date: string | null; where: string }): MetaRelease {
  const fields = parseMetaFile(input.meta);
  const version = empty(fields.Version);
  if (!version) throw new MetaRecordError(`${input.where}: no "Version:" line, so this is not an OpenZFS META file`);
  const release = empty(fields.Release) ?? undefined;
  const what = input.tag ? `OpenZFS upstream tag ${input.tag}${input.commit ? ` (commit ${input.commit.slice(0, 12)})` : ""}` : `OpenZFS META file ${input.where}`;
  return {
    version: versionOfTag(input.tag ?? "", version, release),
    tag: input.tag,
    commit: input.commit,
    tagType: metaTagType(version, release),
    declaredKernelMin: empty(fields["Linux-Minimum"]),
    declaredKernelMax: empty(fields["Linux-Maximum"]),
    releasedOn: input.date && DATE_RE.test(input.date) ? input.date : null,
    source: input.tag ? `${what}: commit date and META Linux-Minimum/Maximum` : `${what}: META Linux-Minimum/Maximum (no release date in a bare META file)`,
  };
}

/** Releases only (see above), one per version: the later record of a version wins. */
export function recordableReleases(all: readonly MetaRelease[]): { releases: MetaRelease[]; skipped: Record<MetaTagType, number> } {
  const skipped: Record<MetaTagType, number> = { release: 0, "release-candidate": 0, "dev-branch-marker": 0 };
  const byVersion = new Map<string, MetaRelease>();
  for (const r of all) {
    if (r.tagType !== "release") skipped[r.tagType] += 1;
    else if (!isValidModuleVersion(r.version)) throw new MetaRecordError(`"${r.version}" (${r.tag ?? r.source}) is not a module version`);
    else byVersion.set(r.version, r);
  }
  return { releases: [...byVersion.values()], skipped };
}
