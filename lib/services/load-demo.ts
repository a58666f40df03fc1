import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { db } from "../db/client";
import { type IngestBody } from "../schemas/ingest";
import { chunkBodies, parseIngestFile } from "../schemas/ingest-chunks";
import { syntheticDemo } from "../synthetic/generate";
import { importOpenzfsMeta } from "./import-openzfs-meta";
import { loadSourceScanFiles } from "./footprints/load-source-scan-files";
import { loadSnapshotFiles } from "./kernel-api/load-snapshot-files";
import { recordResults } from "./record-results";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const DEMO_DIR = path.join(root, "data/demo");
/** Kernel API snapshots written by `modcompat kernel-api export` (see README). */
export const KERNEL_API_DIR = path.join(DEMO_DIR, "kernel-api");
/** Source scans written by `modcompat footprints scan-sources --out` (see README). */
export const SOURCE_SCAN_DIR = path.join(DEMO_DIR, "source-scans");
/** Shared data beside the repository (never copied into it): OpenZFS's declared ranges per upstream tag. */
export const OPENZFS_META_CSV = path.join(root, "../shared/data/openzfs-meta.csv");

/** An ingest body larger than one request allows is stored as several runs: `<id>-part<N>`. */
export async function loadBody(body: IngestBody): Promise<number> {
  let stored = 0;
  // Every part carries the kernels' metadata (package, Linux version, release date): a part stores
  // only what it names, and dropping kernels[] here left every demo kernel undated.
  for (const part of chunkBodies(body.run, body.modules, body.results)) {
    stored += (await recordResults(body.kernels ? { ...part, kernels: body.kernels } : part)).stored;
  }
  return stored;
}

/** The bodies of one results file (a body, or the array of parts a large run is written as). */
export function readIngestFile(file: string, label = file): IngestBody[] {
  const parsed = parseIngestFile(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`demo file ${label} is not a valid ingest body or array of bodies: ${parsed.error.message}`);
  return parsed.data;
}

/** Load one results file: results stored. */
export async function loadFile(file: string, label = file): Promise<number> {
  let stored = 0;
  for (const body of readIngestFile(file, label)) stored += await loadBody(body);
  return stored;
}

/**
 * First start: fill an empty database with the committed demo (real DKMS builds, data/demo/*.json),
 * or, if there is none, with the clearly labelled synthetic demo. MODCOMPAT_DEMO=none disables it.
 */
export async function loadDemoIfEmpty(): Promise<{ file: string; results: number } | null> {
  const mode = process.env.MODCOMPAT_DEMO ?? "auto";
  if (mode === "none") return null;
  if ((await db().run.count()) > 0) return null;
  const files = existsSync(DEMO_DIR) ? readdirSync(DEMO_DIR).filter((f) => f.endsWith(".json")).sort() : [];
  if (mode === "synthetic" || files.length === 0) {
    return { file: "synthetic generator (lib/synthetic/generate.ts)", results: await loadBody(syntheticDemo()) };
  }
  let results = 0;
  for (const f of files) {
    results += await loadFile(path.join(DEMO_DIR, f), `data/demo/${f}`);
  }
  const loaded = files.map((f) => `data/demo/${f}`);
  if (existsSync(OPENZFS_META_CSV)) {
    const r = await importOpenzfsMeta(OPENZFS_META_CSV, {
      label: "../shared/data/openzfs-meta.csv",
      provenance:
        "OpenZFS releases with their declared kernel ranges (META Linux-Minimum/Maximum) and dates: ../shared/data/openzfs-meta.csv, " +
        "made from the upstream git tags of openzfs/zfs (each tag's META file and its commit date; see shared/data/SOURCES.md). Declared, not built: no results.",
    });
    loaded.push(`../shared/data/openzfs-meta.csv (${r.releases} OpenZFS releases, declared ranges only)`);
  }
  // Kernel API snapshots (compare, predictions): after the results, one file at a time.
  const snaps = await loadSnapshotFiles(KERNEL_API_DIR, "data/demo/kernel-api");
  if (snaps.files > 0) loaded.push(`data/demo/kernel-api/*.txt.gz (${snaps.files} kernel API snapshots, ${snaps.ms} ms)`);
  // Source scans of the footprinted module versions' packages (modcompat footprints scan-sources).
  const scans = await loadSourceScanFiles(SOURCE_SCAN_DIR);
  if (scans.files > 0) loaded.push(`data/demo/source-scans/*.json (${scans.stored} source scans)`);
  return { file: loaded.join(", "), results };
}
