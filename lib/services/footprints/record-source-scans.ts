import { db } from "../../db/client";
import type { SourceScanInput } from "../../schemas/source-scan";

/**
 * Store source scans (one per module version; a newer scan replaces the older). Scans of module
 * versions the database does not know are skipped and counted: a scan never creates a module.
 */
export async function recordSourceScans(scans: readonly SourceScanInput[]): Promise<{ stored: number; unknownVersions: string[] }> {
  let stored = 0;
  const unknownVersions: string[] = [];
  for (const s of scans) {
    const mv = await db().moduleVersion.findFirst({ where: { version: s.version, module: { slug: s.module } }, select: { id: true } });
    if (!mv) {
      unknownVersions.push(`${s.module}@${s.version}`);
      continue;
    }
    const data = { calls: [...new Set(s.calls)].sort(), source: s.source, sourceDigest: s.sourceDigest, scannedAt: new Date() };
    await db().sourceScan.upsert({ where: { moduleVersionId: mv.id }, create: { moduleVersionId: mv.id, ...data }, update: data });
    stored++;
  }
  return { stored, unknownVersions };
}
