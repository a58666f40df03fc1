import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CallableIndex, encodeHeaders, encodeSymbols, HeaderIndex, SortedLines, splitCallables, SymbolIndex, type ExportedSymbol } from "../../lib/domain/kernel-api";

/**
 * The snapshot indexes (lookups by binary search in the stored text) answer exactly what the Maps
 * and Sets decoded from the same snapshot answer: splitCallables for callables, a Map by name for
 * symbols, a Set for headers.
 */

// Names from a small alphabet, so that prefixes, shared stems and near misses are common; "$" and
// "." sort before "(" and "/", as Module.symvers names may hold them.
const name = fc.stringMatching(/^[a-c_][a-c_0-9$.]{0,4}$/);
const arity = fc.oneof(fc.constantFrom("*", "0"), fc.integer({ min: 1, max: 12 }).map(String));
const entry = fc.oneof(
  name,
  fc.tuple(name, arity).map(([n, a]) => `${n}/${a}`),
  fc.tuple(name, arity).map(([n, a]) => `${n}(${a})`),
  // not a function entry: a bare name as splitCallables reads it
  name.map((n) => `${n}(x`),
);
const probe = fc.oneof(name, entry);

describe("CallableIndex answers what splitCallables answers", () => {
  it("for random entries and names", () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 60 }), fc.array(probe, { maxLength: 30 }), (entries, probes) => {
        const want = splitCallables(entries);
        const got = new CallableIndex(encodeHeaders(entries));
        for (const n of [...probes, ...entries, ...want.names, ...want.arities.keys(), ...want.functionArities.keys()]) {
          expect(got.names.has(n)).toBe(want.names.has(n));
          expect(got.macroArities.has(n)).toBe(want.arities.has(n));
          expect(got.functionArities.has(n)).toBe(want.functionArities.has(n));
          expect(sorted(got.macroArities.get(n))).toEqual(sorted(want.arities.get(n)));
          expect(sorted(got.functionArities.get(n))).toEqual(sorted(want.functionArities.get(n)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ["a name that is also a prefix of others", ["kmalloc_array", "kmalloc", "kmalloc(2)", "kmalloc_node(3)"], "kmalloc", true, undefined, ["2"]],
    ["a macro and a declared function of one name", ["vmalloc/1", "vmalloc(1)", "vmalloc_noprof(1)"], "vmalloc", true, ["1"], ["1"]],
    ["a declared function only is not a callable name", ["class_create(1)"], "class_create", false, undefined, ["1"]],
    ["names after the stem with $ and . in between", ["foo$x", "foo.y", "foo/2", "foo_z/1"], "foo", true, ["2"], undefined],
    ["not there", ["foo"], "fo", false, undefined, undefined],
  ] as const)("%s", (_, entries, n, isName, macro, fn) => {
    const got = new CallableIndex(encodeHeaders(entries));
    expect(got.names.has(n)).toBe(isName);
    expect(sorted(got.macroArities.get(n))).toEqual(macro ? [...macro] : undefined);
    expect(sorted(got.functionArities.get(n))).toEqual(fn ? [...fn] : undefined);
  });
});

const symbol: fc.Arbitrary<ExportedSymbol> = fc.record({
  name,
  crc: fc.oneof(fc.constant(""), fc.stringMatching(/^0x[0-9a-f]{8}$/)),
  gplOnly: fc.boolean(),
  namespace: fc.constantFrom("", "DMA_BUF", "CXL"),
  exporter: fc.constantFrom("vmlinux", "drivers/media/v4l2-core/videodev"),
});

describe("SymbolIndex and HeaderIndex answer what a Map and a Set answer", () => {
  it("for random snapshots", () => {
    fc.assert(
      fc.property(fc.uniqueArray(symbol, { selector: (s) => s.name, maxLength: 60 }), fc.array(fc.stringMatching(/^[a-c]{1,3}\/[a-c_]{1,4}\.h$/), { maxLength: 40 }), fc.array(name, { maxLength: 30 }), (symbols, headers, probes) => {
        const byName = new Map(symbols.map((s) => [s.name, s]));
        const got = new SymbolIndex(encodeSymbols(symbols));
        for (const n of [...probes, ...byName.keys()]) {
          expect(got.has(n)).toBe(byName.has(n));
          expect(got.get(n)).toEqual(byName.get(n));
        }
        const set = new Set(headers);
        const h = new HeaderIndex(encodeHeaders(headers));
        for (const p of [...headers, ...probes, ...headers.map((x) => x.slice(0, -1))]) expect(h.has(p)).toBe(set.has(p));
      }),
      { numRuns: 300 },
    );
  });
});

describe("SortedLines", () => {
  it("sorts a text that was not stored sorted, and finds its lines", () => {
    const lines = new SortedLines("b\nc\na");
    expect([0, 1, 2].map((i) => lines.line(i))).toEqual(["a", "b", "c"]);
    expect(lines.find("c")).toBe(2);
    expect(lines.find("d")).toBe(-1);
  });
  it("holds nothing for an empty text", () => {
    const lines = new SortedLines("");
    expect(lines.size).toBe(0);
    expect(lines.find("")).toBe(-1);
    expect([...lines.withPrefix("a")]).toEqual([]);
  });
});

function sorted(s: ReadonlySet<string> | undefined): string[] | undefined {
  return s ? [...s].sort() : undefined;
}
