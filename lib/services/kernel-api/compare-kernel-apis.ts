import { db } from "../../db/client";
import { diffKernelApi, splitCallables } from "../../domain/kernel-api";
import { MAX_COMPARE_ITEMS, type CompareQuery, type CompareResponse } from "../../schemas/kernel-api";
import { AppError } from "../errors";
import { loadFootprints, type StoredFootprint } from "../footprints/load-footprints";
import { loadKernelApi, type KernelApiSnapshot } from "./load-kernel-api";

type User = CompareResponse["removedSymbols"][number]["usedBy"][number];

/**
 * Which module versions use each symbol and header: one entry per module version (the footprint
 * of the kernel closest to `from` wins), marked by how it uses it.
 */
function usageIndex(footprints: readonly StoredFootprint[], fromSortKey: string | null) {
  const best = new Map<number, StoredFootprint>();
  const dist = (f: StoredFootprint) => (fromSortKey === null ? 0 : f.kernelSortKey === fromSortKey ? -1 : f.kernelSortKey < fromSortKey ? 0 : 1);
  for (const f of footprints) {
    const cur = best.get(f.moduleVersionId);
    if (!cur || dist(f) < dist(cur) || (dist(f) === dist(cur) && f.kernelSortKey > cur.kernelSortKey)) best.set(f.moduleVersionId, f);
  }
  const symbols = new Map<string, User[]>();
  const headers = new Map<string, User[]>();
  const add = (m: Map<string, User[]>, key: string, u: User) => {
    const list = m.get(key);
    if (list) list.push(u);
    else m.set(key, [u]);
  };
  for (const f of best.values()) {
    const base = { module: f.module, version: f.version, kernel: f.kernel };
    const imported = new Set(f.symbols);
    const called = f.references && f.references.length ? new Set(f.references) : null;
    for (const s of f.symbols) add(symbols, s, { ...base, via: !called || called.has(s) ? "imports" : "emitted" });
    for (const s of f.references ?? []) if (!imported.has(s)) add(symbols, s, { ...base, via: "calls" });
    const read = new Set(f.headers);
    for (const h of f.includes ?? []) if (read.has(h)) add(headers, h, { ...base, via: "includes" });
  }
  return { symbols, headers, moduleVersions: best.size };
}

function info(s: KernelApiSnapshot) {
  return { kernel: s.kernel, symbols: s.symbols.length, headers: s.headers.length, importedAt: s.importedAt.toISOString(), sourceDir: s.sourceDir };
}

/**
 * The API diff of two kernels with its blast radius. Bounded: two snapshot rows (~25–30k symbols
 * each, a linear diff), at most MAX_FOOTPRINTS footprints, at most `limit` items per list.
 */
export async function compareKernelApis(q: CompareQuery): Promise<CompareResponse> {
  const [from, to] = await Promise.all([loadKernelApi(q.from), loadKernelApi(q.to)]);
  const missing = [!from ? q.from : null, !to ? q.to : null].filter(Boolean);
  if (!from || !to) {
    throw new AppError("not_found", `no API snapshot of ${missing.join(" or ")}; import one with \`npx modcompat kernel-api import /usr/src/linux-headers-<kernel>\``);
  }
  const limit = q.limit ?? 500;
  // names only: function-like macros are stored with their arity ("vmalloc/*")
  const toCallables = splitCallables(to.callables).names;
  const d = diffKernelApi(from, to);
  const { footprints, truncated: fpTruncated } = await loadFootprints();
  const fromKernel = await db().kernel.findUnique({ where: { version: q.from }, select: { sortKey: true } });
  const use = usageIndex(footprints, fromKernel?.sortKey ?? null);
  const usedFirst = <T extends { usedBy: User[] }>(xs: T[]) => [...xs].sort((a, b) => Number(b.usedBy.length > 0) - Number(a.usedBy.length > 0));
  const only = <T extends { usedBy: User[] }>(xs: T[]) => (q.used === "1" ? xs.filter((x) => x.usedBy.length > 0) : xs);

  const removedSymbols = only(usedFirst(d.removedSymbols.map((s) => ({
        name: s.name,
        crc: s.crc,
        gplOnly: s.gplOnly,
        namespace: s.namespace,
        exporter: s.exporter,
        stillCallable: toCallables.has(s.name),
        usedBy: use.symbols.get(s.name) ?? [],
      }))));
  const changedSymbols = only(
    usedFirst(
      d.changedSymbols.map((c) => ({
        name: c.name,
        changes: c.changes,
        from: { crc: c.from.crc, gplOnly: c.from.gplOnly, namespace: c.from.namespace },
        to: { crc: c.to.crc, gplOnly: c.to.gplOnly, namespace: c.to.namespace },
        usedBy: use.symbols.get(c.name) ?? [],
      })),
    ),
  );
  const removedHeaders = only(usedFirst(d.removedHeaders.map((h) => ({ path: h, usedBy: use.headers.get(h) ?? [] }))));

  const affected = new Map<string, { module: string; version: string; removed: string[]; changed: string[] }>();
  const touch = (u: User) => {
    const k = `${u.module}@${u.version}`;
    const a = affected.get(k) ?? { module: u.module, version: u.version, removed: [], changed: [] };
    affected.set(k, a);
    return a;
  };
  for (const s of removedSymbols) if (!s.stillCallable) for (const u of s.usedBy) if (u.via !== "emitted") touch(u).removed.push(s.name);
  for (const h of removedHeaders) for (const u of h.usedBy) touch(u).removed.push(h.path);
  // A name its sources use (not an import) that `from` defined in its headers without exporting it
  // (no_llseek, a macro) and `to` has nowhere: the prediction's "reference-removed" rule, so the
  // affected list and the prediction name the same things. Exported names are handled above.
  const fromExports = new Set(from.symbols.map((s) => s.name));
  const toExports = new Set(to.symbols.map((s) => s.name));
  const fromCallables = splitCallables(from.callables).names;
  for (const [name, users] of use.symbols) {
    if (fromExports.has(name) || !fromCallables.has(name) || toExports.has(name) || toCallables.has(name)) continue;
    for (const u of users) if (u.via === "calls") touch(u).removed.push(name);
  }
  // a CRC change alone is not a break; licence and namespace changes may be
  for (const c of changedSymbols) for (const u of c.usedBy) if (u.via !== "emitted" && c.changes.some((x) => x !== "crc")) touch(u).changed.push(c.name);

  const cut = <T>(xs: T[]) => xs.slice(0, Math.min(limit, MAX_COMPARE_ITEMS));
  const lists = { removedSymbols, changedSymbols, addedSymbols: d.addedSymbols, removedHeaders, addedHeaders: d.addedHeaders };
  const truncated = Object.values(lists).some((l) => l.length > limit);
  const count = (k: "crc" | "licence" | "namespace") => d.changedSymbols.filter((c) => c.changes.includes(k)).length;
  return {
    from: info(from),
    to: info(to),
    counts: {
      removedSymbols: d.removedSymbols.length,
      addedSymbols: d.addedSymbols.length,
      changedSymbols: d.changedSymbols.length,
      crcChanged: count("crc"),
      licenceChanged: count("licence"),
      namespaceChanged: count("namespace"),
      removedHeaders: d.removedHeaders.length,
      addedHeaders: d.addedHeaders.length,
      unchangedSymbols: d.unchangedSymbols,
    },
    removedSymbols: cut(removedSymbols),
    changedSymbols: cut(changedSymbols),
    addedSymbols: cut(d.addedSymbols.map((s) => ({ name: s.name, gplOnly: s.gplOnly, namespace: s.namespace, exporter: s.exporter }))),
    removedHeaders: cut(removedHeaders),
    addedHeaders: cut(d.addedHeaders),
    affected: [...affected.values()].filter((a) => a.removed.length || a.changed.length).sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : a.version < b.version ? -1 : 1)),
    footprints: { moduleVersions: use.moduleVersions, truncated: fpTruncated },
    limit,
    truncated,
  };
}
