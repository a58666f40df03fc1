/**
 * Read a kernel header package's API from disk: Module.symvers (in the flavour package, e.g.
 * linux-headers-6.1.0-56-amd64) and the header tree (mostly in the -common package, which the
 * flavour's Makefile names: `include /usr/src/linux-headers-6.1.0-56-common/Makefile`).
 * Works for a headers dir inside a chroot too: absolute paths in the Makefile are re-rooted.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { normaliseHeaderPath, parseHeaderCallables, parseModuleSymvers, type ExportedSymbol } from "../../domain/kernel-api";

export interface HeadersDirApi {
  kernel: string;
  /** the flavour dir (symlinks resolved) and every tree whose headers were read */
  dir: string;
  trees: string[];
  symbols: ExportedSymbol[];
  headers: string[];
  /** function-like macros and static inlines the headers define */
  callables: string[];
  rejectedLines: number;
}

const HEADER_ROOTS = ["include", "arch/x86/include"];
/** a bound on the walk: a kernel has ~6–8k headers in these roots */
const MAX_HEADERS = 100_000;

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

/** The -common tree the flavour's Makefile includes, re-rooted when the dir lives in a chroot. */
async function commonTree(dir: string): Promise<string | null> {
  let makefile: string;
  try {
    makefile = await fs.readFile(path.join(dir, "Makefile"), "utf8");
  } catch {
    return null;
  }
  const m = /^include\s+(\S+)\/Makefile\s*$/m.exec(makefile);
  if (!m) return null;
  const named = m[1];
  const i = dir.indexOf("/usr/src/");
  const candidates = [named, i > 0 && named.startsWith("/") ? path.join(dir.slice(0, i), named) : null, path.resolve(dir, named)];
  for (const c of candidates) if (c && c !== dir && (await exists(c))) return fs.realpath(c);
  return null;
}

async function walkHeaders(tree: string, out: Set<string>, callables: Set<string>): Promise<void> {
  for (const rootRel of HEADER_ROOTS) {
    const root = path.join(tree, rootRel);
    let entries: string[];
    try {
      entries = (await fs.readdir(root, { recursive: true })) as string[];
    } catch {
      continue;
    }
    for (const e of entries) {
      if (out.size >= MAX_HEADERS) return;
      const name = normaliseHeaderPath(`${rootRel}/${e}`);
      if (!name) continue;
      out.add(name);
      const text = await fs.readFile(path.join(root, e), "utf8").catch(() => "");
      for (const c of parseHeaderCallables(text)) callables.add(c);
    }
  }
}

export async function readHeadersDir(dirArg: string, kernelOverride?: string): Promise<HeadersDirApi> {
  const dir = await fs.realpath(dirArg);
  const symversPath = path.join(dir, "Module.symvers");
  let symversText: string;
  try {
    symversText = await fs.readFile(symversPath, "utf8");
  } catch (e) {
    throw new Error(`${symversPath} not found: give the flavour's headers dir (e.g. /usr/src/linux-headers-6.1.0-56-amd64)`, { cause: e });
  }
  let kernel = kernelOverride;
  if (!kernel) {
    const uts = await fs.readFile(path.join(dir, "include/generated/utsrelease.h"), "utf8").catch(() => "");
    kernel = /UTS_RELEASE\s+"([^"]+)"/.exec(uts)?.[1] ?? /^linux-headers-(.+)$/.exec(path.basename(dir))?.[1];
  }
  if (!kernel) throw new Error(`cannot tell the kernel of ${dir}: no include/generated/utsrelease.h; pass --kernel`);
  const parsed = parseModuleSymvers(symversText);
  if (parsed.symbols.length === 0) throw new Error(`${symversPath} lists no exported symbols`);
  const trees = [dir];
  const common = await commonTree(dir);
  if (common) trees.push(common);
  const headers = new Set<string>();
  const callables = new Set<string>();
  for (const t of trees) await walkHeaders(t, headers, callables);
  return { kernel, dir, trees, symbols: parsed.symbols, headers: [...headers], callables: [...callables], rejectedLines: parsed.rejected.length };
}
