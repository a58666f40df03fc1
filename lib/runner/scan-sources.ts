/**
 * Read a module's source tree again, after its build, for the source-level part of a footprint:
 * every call with its argument count (lib/domain/footprint.ts sourceCalls). The same files the
 * runner reads at build time (`.c`/`.h`, at most 2,000, each under 4 MiB), hashed for provenance.
 */
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { sourceCalls } from "../domain/footprint";

export async function scanSourceTree(dir: string): Promise<{ calls: string[]; sourceDigest: string; files: number }> {
  const entries = ((await fs.readdir(dir, { recursive: true })) as string[]).filter((e) => /\.[ch]$/.test(e)).sort().slice(0, 2000);
  const hash = createHash("sha256");
  const texts: string[] = [];
  for (const rel of entries) {
    const file = path.join(dir, rel);
    const st = await fs.stat(file).catch(() => null);
    if (!st?.isFile() || st.size >= 4 * 1024 * 1024) continue;
    const text = await fs.readFile(file, "utf8");
    hash.update(rel).update("\0").update(text).update("\0");
    texts.push(text);
  }
  return { calls: sourceCalls(texts), sourceDigest: hash.digest("hex"), files: texts.length };
}
