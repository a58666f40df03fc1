import { z } from "zod";
import { MAX_FOOTPRINT_HEADERS } from "../domain/footprint";

/** One module version's packaged sources read again: the calls they make (lib/domain/footprint.ts parseCalls). */
export const sourceScanSchema = z
  .object({
    module: z.string().min(1).max(100),
    version: z.string().min(1).max(100),
    calls: z.array(z.string().max(210).regex(/^[A-Za-z_][A-Za-z0-9_]*\/\d{1,3}$/, "must be name/argument-count")).max(MAX_FOOTPRINT_HEADERS),
    /** "debian:openrazer-driver-dkms=3.5.1+dfsg-2+deb12u1 (bookworm/main amd64)" or a directory */
    source: z.string().min(1).max(500),
    sourceDigest: z.string().regex(/^[0-9a-f]{64}$/),
    files: z.number().int().min(0),
  })
  .strict();
export type SourceScanInput = z.infer<typeof sourceScanSchema>;

/** The file `modcompat footprints scan-sources --out` writes and the demo loads (data/demo/source-scans/). */
export const sourceScanFileSchema = z
  .object({
    format: z.literal("modcompat source scans v1"),
    madeAt: z.string(),
    madeBy: z.string(),
    note: z.string().optional(),
    scans: z.array(sourceScanSchema).max(100_000),
  })
  .strict();
export type SourceScanFile = z.infer<typeof sourceScanFileSchema>;
