import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { storeSnapshot } from "./import-kernel-api";
import { decodeSnapshotFile } from "./snapshot-file";

export interface LoadedSnapshots {
  files: number;
  stored: number;
  unchanged: number;
  ms: number;
}

/**
 * Store the committed snapshot files of a directory (data/demo/kernel-api/*.txt.gz, written by
 * `modcompat kernel-api export`), one file at a time so that memory stays at one snapshot (~2 MB
 * of text). A kernel whose stored snapshot has the same digest is left alone, so loading twice is
 * a no-op. The stored sourceDir names the file and the header package it was read from.
 */
export async function loadSnapshotFiles(dir: string, label = dir): Promise<LoadedSnapshots> {
  const started = Date.now();
  const out: LoadedSnapshots = { files: 0, stored: 0, unchanged: 0, ms: 0 };
  if (!existsSync(dir)) return out;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".txt.gz"))
    .sort();
  for (const f of files) {
    const where = `${label}/${f}`;
    const { header, texts } = decodeSnapshotFile(readFileSync(path.join(dir, f)), where);
    if (f !== `${header.kernel}.txt.gz`) throw new Error(`${where}: holds the snapshot of ${header.kernel}, not of the kernel its name says`);
    const pkg = header.headerPackage ? `${header.headerPackage.package} ${header.headerPackage.version}, ` : "";
    const sourceDir = `${where} (${pkg}read from ${header.sourceDir} in ${header.environment} by ${header.madeBy})`;
    const r = await storeSnapshot(header.kernel, texts, sourceDir, new Date(header.madeAt), header.sha256);
    out.files++;
    if (r.unchanged) out.unchanged++;
    else out.stored++;
  }
  out.ms = Date.now() - started;
  return out;
}
