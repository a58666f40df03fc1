import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { sourceScanFileSchema } from "../../schemas/source-scan";
import { recordSourceScans } from "./record-source-scans";

/** Load every `*.json` of `modcompat footprints scan-sources --out` in a directory (the demo's data/demo/source-scans/). */
export async function loadSourceScanFiles(dir: string): Promise<{ files: number; stored: number; unknownVersions: string[] }> {
  if (!existsSync(dir)) return { files: 0, stored: 0, unknownVersions: [] };
  let stored = 0;
  const unknownVersions: string[] = [];
  const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  for (const f of files) {
    const parsed = sourceScanFileSchema.safeParse(JSON.parse(readFileSync(path.join(dir, f), "utf8")));
    if (!parsed.success) throw new Error(`${f} is not a source scan file: ${parsed.error.message}`);
    const r = await recordSourceScans(parsed.data.scans);
    stored += r.stored;
    unknownVersions.push(...r.unknownVersions);
  }
  return { files: files.length, stored, unknownVersions };
}
