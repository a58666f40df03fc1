/**
 * A kernel API snapshot as a committed demo file (data/demo/kernel-api/<kernel>.txt.gz): one gzip
 * stream of a JSON header line (kernel, header package and version, source dir, date made, counts,
 * sha256) followed by the three sorted encodings stored in KernelApi — symbols, header paths,
 * header callables — one entry a line, the header saying how many lines each has.
 * `zcat FILE | head -1` shows where it came from.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { z } from "zod";

export const SNAPSHOT_FORMAT = "modcompat kernel-api snapshot v1";

export const snapshotHeaderSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  kernel: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.+~_-]{0,99}$/),
  /** the dpkg package that owns the headers dir, and its version, when dpkg knows it */
  headerPackage: z.object({ package: z.string().max(200), version: z.string().max(200) }).optional(),
  /** the build environment (chroot) the headers were read in, "host" for the host */
  environment: z.string().max(100),
  sourceDir: z.string().max(500),
  trees: z.array(z.string().max(500)).max(10),
  madeAt: z.iso.datetime(),
  madeBy: z.string().max(200),
  lines: z.object({ symbols: z.number().int().min(1), headers: z.number().int().min(0), callables: z.number().int().min(0) }),
  counts: z.object({
    symbols: z.number().int().min(1),
    gplOnly: z.number().int().min(0),
    namespaced: z.number().int().min(0),
    headers: z.number().int().min(0),
    callables: z.number().int().min(0),
  }),
  /** sha256 of symbols \0 headers \0 callables, as KernelApi.digest */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type SnapshotHeader = z.infer<typeof snapshotHeaderSchema>;

export interface SnapshotTexts {
  symbols: string;
  headers: string;
  callables: string;
}

const lineCount = (t: string) => (t === "" ? 0 : t.split("\n").length);

export function encodeSnapshotFile(header: Omit<SnapshotHeader, "format" | "lines">, texts: SnapshotTexts): Buffer {
  const full: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    ...header,
    lines: { symbols: lineCount(texts.symbols), headers: lineCount(texts.headers), callables: lineCount(texts.callables) },
  };
  const body = [JSON.stringify(full), texts.symbols, texts.headers, texts.callables].filter((s) => s !== "").join("\n");
  return gzipSync(body, { level: 9 });
}

export function decodeSnapshotFile(gz: Buffer, label = "snapshot"): { header: SnapshotHeader; texts: SnapshotTexts } {
  const lines = gunzipSync(gz).toString("utf8").split("\n");
  let json: unknown;
  try {
    json = JSON.parse(lines[0]);
  } catch {
    throw new Error(`${label}: the first line is not a JSON header`);
  }
  const parsed = snapshotHeaderSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${label}: bad header: ${parsed.error.message}`);
  const h = parsed.data;
  const want = 1 + h.lines.symbols + h.lines.headers + h.lines.callables;
  if (lines.length !== want) throw new Error(`${label}: ${lines.length} lines, the header says ${want}`);
  const a = 1 + h.lines.symbols;
  const b = a + h.lines.headers;
  return {
    header: h,
    texts: { symbols: lines.slice(1, a).join("\n"), headers: lines.slice(a, b).join("\n"), callables: lines.slice(b).join("\n") },
  };
}
