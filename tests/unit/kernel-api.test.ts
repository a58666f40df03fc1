import { readFileSync } from "node:fs";
import { compareKernels, kernelLine, seriesOf } from "../../lib/domain/kernel-version";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  decodeHeaders,
  decodeSymbols,
  diffKernelApi,
  encodeHeaders,
  encodeSymbols,
  normaliseHeaderPath,
  parseHeaderCallables,
  parseHeaderPrototypes,
  parseModuleSymvers,
  splitCallables,
  suggestedComparisons,
  type ExportedSymbol,
} from "../../lib/domain/kernel-api";

// Real lines of Debian's linux-headers-6.1.0-56-amd64 and -6.12.107+deb12-amd64 Module.symvers.
const fixture = (k: string) => readFileSync(path.join(__dirname, "../fixtures/kernel-api", `${k}.Module.symvers.excerpt`), "utf8");
const old = parseModuleSymvers(fixture("6.1.0-56-amd64"));
const neu = parseModuleSymvers(fixture("6.12.107+deb12-amd64"));
const byName = (p: { symbols: ExportedSymbol[] }, n: string) => p.symbols.find((s) => s.name === n);

describe("parseModuleSymvers on a real Module.symvers excerpt", () => {
  it.each([
    // name, crc, gplOnly, namespace, exporter
    ["strlcpy", "0x5792f848", false, "", "vmlinux"],
    ["init_uts_ns", "0x039823de", true, "", "vmlinux"],
    ["alloc_free_mem_region", "0x7fa19cc4", true, "CXL", "vmlinux"],
    ["crypto_cipher_setkey", "0x669aff23", true, "CRYPTO_INTERNAL", "vmlinux"],
    ["video_ioctl2", "0xab77863b", false, "", "drivers/media/v4l2-core/videodev"],
    ["v4l2_fh_add", "0x92d202e5", true, "", "drivers/media/v4l2-core/videodev"],
  ] as const)("%s: crc %s, GPL-only %s, namespace %j, from %s", (name, crc, gplOnly, namespace, exporter) => {
    expect(byName(old, name)).toEqual({ name, crc, gplOnly, namespace, exporter });
  });
  it("reads every line, sorted by name", () => {
    expect(old.symbols).toHaveLength(10);
    expect(old.rejected).toEqual([]);
    expect(old.symbols.map((s) => s.name)).toEqual([...old.symbols.map((s) => s.name)].sort());
  });
  it.each([
    ["a name with a space", "0x1\tfoo bar\tvmlinux\tEXPORT_SYMBOL\t"],
    ["an unknown export kind", "0x1\tfoo\tvmlinux\tEXPORT_SOMETHING\t"],
    ["no crc", "foo\tvmlinux\tEXPORT_SYMBOL\t"],
    ["too many columns", "0x1\tfoo\tvmlinux\tEXPORT_SYMBOL\tNS\textra"],
  ])("rejects %s, with its line number", (_, line) => {
    const r = parseModuleSymvers(`0x2\tok\tvmlinux\tEXPORT_SYMBOL\t\n${line}\n`);
    expect(r.symbols.map((s) => s.name)).toEqual(["ok"]);
    expect(r.rejected).toEqual([{ line: 2, text: line }]);
  });
  it("keeps the first of a name exported twice, and accepts 4 columns (no namespace column)", () => {
    const r = parseModuleSymvers("0x1\tdup\tvmlinux\tEXPORT_SYMBOL\n0x2\tdup\tfoo\tEXPORT_SYMBOL_GPL\n");
    expect(r.symbols).toEqual([{ name: "dup", crc: "0x1", gplOnly: false, namespace: "", exporter: "vmlinux" }]);
  });
});

describe("parseHeaderCallables", () => {
  it("function-like macros with arity, static inlines, lower-case object-like macros; not comments or upper-case constants", () => {
    const h = [
      "#define DEFINE_SEMAPHORE(_name, _n) struct semaphore _name = __SEMAPHORE_INITIALIZER(_name, _n)",
      "#define pr_info(fmt, ...) printk(fmt, ##__VA_ARGS__)",
      "#define no_llseek NULL",
      "#define NETIF_F_LLTX 12",
      "/* #define commented_out(x) x */",
      "static inline __must_check size_t strlcpy_helper(char *p,",
      "  const char *q) { return 0; }",
      "static __always_inline void *kmalloc(size_t size, gfp_t flags)",
      "{ return __kmalloc(size, flags); }",
      // 6.1's slab.h: an attribute macro with arguments between `inline` and the name
      "static __always_inline __alloc_size(1) void *kmalloc_node(size_t size, gfp_t flags, int node)\n{",
      "static inline __printf(2, 3) int scnprintf_helper(char *buf, const char *fmt, ...);",
      "static inline int with_callback(void (*fn)(int), int (*g)(void)) __must_hold(&lock)\n{",
      "typedef __u32 u32;",
      "typedef struct { int counter; } atomic_t;",
      "typedef struct spinlock {\n\tunion {\n\t\tstruct raw_spinlock rlock;\n\t};\n} spinlock_t;",
      "typedef int (*notifier_fn_t)(struct notifier_block *nb, unsigned long action, void *data);",
    ].join("\n");
    expect(parseHeaderCallables(h).sort()).toEqual([
      "DEFINE_SEMAPHORE/2",
      "atomic_t",
      "kmalloc",
      "kmalloc(2)",
      "kmalloc_node",
      "kmalloc_node(3)",
      "no_llseek",
      "notifier_fn_t",
      "pr_info/*",
      "scnprintf_helper",
      "scnprintf_helper(*)",
      "spinlock_t",
      "strlcpy_helper",
      "strlcpy_helper(2)",
      "u32",
      "with_callback",
      "with_callback(2)",
    ]);
  });
});

describe("parseHeaderPrototypes (the prototype index)", () => {
  const TABLE: [what: string, header: string, want: string[]][] = [
    // 5.10.0-45's hid.h (a Debian stable backport added `bufsize`) and 6.12's device/class.h
    ["an extern prototype over lines", "extern int hid_report_raw_event(struct hid_device *hid, enum hid_report_type type, u8 *data, u32 bufsize,\n\t\tu32 size, int interrupt);", ["hid_report_raw_event(6)"]],
    ["a pointer return type and an attribute before the name", "struct class * __must_check class_create(const char *name);", ["class_create(1)"]],
    ["attributes after the list", "int kernel_bind(struct socket *sock, struct sockaddr *addr, int addrlen) __attribute__((nonnull));", ["kernel_bind(3)"]],
    ["(void) and an empty list take no argument", "void acpi_lid_notifier(void);\nint old_style();", ["acpi_lid_notifier(0)", "old_style(0)"]],
    ["variadic", "__printf(1, 2) int printk(const char *fmt, ...);", ["printk(*)"]],
    ["a function-pointer parameter counts once", "int register_cb(void (*fn)(int, int), void *data);", ["register_cb(2)"]],
    ["a static inline with a lock annotation", "static inline void lock_it(spinlock_t *l) __acquires(l)\n{\n}", ["lock_it(1)"]],
    // calls are not declarations: after `return`, `=`, `(`, on # lines, or through a struct member
    ["calls in an inline body", "static inline int f(int a)\n{\n\tint x = g(a, 1);\n\tif (h(x)) k(x);\n\treturn m(a, x, 3);\n}", ["f(1)"]],
    ["a macro body", "#define wrap(a, b) inner(a, b, 0)\n#define WRAP2(a) do { inner2(a); } while (0)", []],
    ["function-pointer members", "struct ops {\n\tint (*probe)(struct device *dev);\n\tvoid (*remove)(struct device *dev);\n};", []],
  ];
  it.each(TABLE)("%s", (_, header, want) => {
    expect(parseHeaderPrototypes(header).sort()).toEqual(want);
  });
  it("splitCallables keeps function arities apart from names and macro arities", () => {
    const { names, arities, functionArities } = splitCallables(["DEFINE_SEMAPHORE/2", "kmalloc", "kmalloc(2)", "class_create(1)", "printk(*)"]);
    expect([...names].sort()).toEqual(["DEFINE_SEMAPHORE", "kmalloc"]);
    expect([...arities.keys()]).toEqual(["DEFINE_SEMAPHORE"]);
    expect(Object.fromEntries([...functionArities].map(([k, v]) => [k, [...v]]))).toEqual({ kmalloc: ["2"], class_create: ["1"], printk: ["*"] });
  });
});

describe("the stored encoding", () => {
  it("round-trips symbols and headers", () => {
    expect(decodeSymbols(encodeSymbols(old.symbols))).toEqual(old.symbols);
    expect(decodeHeaders(encodeHeaders(["linux/string.h", "asm/unaligned.h", "linux/string.h"]))).toEqual(["asm/unaligned.h", "linux/string.h"]);
    expect(decodeSymbols(encodeSymbols([]))).toEqual([]);
  });
  it.each([
    ["include/linux/string.h", "linux/string.h"],
    ["include/uapi/linux/videodev2.h", "linux/videodev2.h"],
    ["include/generated/utsrelease.h", "utsrelease.h"],
    ["arch/x86/include/asm/unaligned.h", "asm/unaligned.h"],
    ["arch/x86/include/generated/asm/rwonce.h", "asm/rwonce.h"],
    ["arch/x86/include/uapi/asm/ptrace.h", "asm/ptrace.h"],
    ["scripts/x.h", null],
    ["include/linux/Kbuild", null],
  ])("header %s is included as %s", (p, want) => {
    expect(normaliseHeaderPath(p)).toBe(want);
  });
});

describe("diffKernelApi, 6.1.0-56 → 6.12.107 on the real excerpts", () => {
  const d = diffKernelApi({ symbols: old.symbols, headers: ["asm/unaligned.h", "linux/string.h"] }, { symbols: neu.symbols, headers: ["linux/string.h", "linux/unaligned.h"] });
  it("strlcpy and __getblk_gfp are removed", () => {
    const removed = d.removedSymbols.map((s) => s.name);
    expect(removed).toEqual(expect.arrayContaining(["__getblk_gfp", "strlcpy"]));
    // 6.8 renamed the export to sized_strscpy behind a strscpy() macro: gone from Module.symvers,
    // though sources calling strscpy() still build (a limit of symbol-only prediction)
    expect(removed).toContain("strscpy");
  });
  it("bdev_getblk and class_create are added", () => {
    expect(d.addedSymbols.map((s) => s.name)).toEqual(expect.arrayContaining(["bdev_getblk", "class_create"]));
  });
  it("names what changed: CRC, namespace (CXL dropped), licence", () => {
    const changed = Object.fromEntries(d.changedSymbols.map((c) => [c.name, c.changes]));
    expect(changed.alloc_free_mem_region).toEqual(["namespace"]);
    expect(changed.crypto_cipher_setkey).toEqual(["crc"]);
    expect(changed.video_ioctl2).toEqual(["crc"]);
    expect(changed.v4l2_fh_add).toEqual(["crc"]);
    expect(changed.strscpy).toBeUndefined();
  });
  it("headers removed and added", () => {
    expect(d.removedHeaders).toEqual(["asm/unaligned.h"]);
    expect(d.addedHeaders).toEqual(["linux/unaligned.h"]);
  });
  it("licence change, and no CRC comparison when one side has none", () => {
    const a: ExportedSymbol = { name: "f", crc: "0x1", gplOnly: false, namespace: "", exporter: "vmlinux" };
    const r = diffKernelApi({ symbols: [a], headers: [] }, { symbols: [{ ...a, crc: "", gplOnly: true }], headers: [] });
    expect(r.changedSymbols.map((c) => c.changes)).toEqual([["licence"]]);
    expect(diffKernelApi({ symbols: [a], headers: [] }, { symbols: [a], headers: [] }).unchangedSymbols).toBe(1);
  });
});

describe("suggestedComparisons", () => {
  it("newest of each series against the newest of the previous series, per kernel line", () => {
    const ks = ["6.1.0-56-amd64", "6.1.0-57-amd64", "6.12.107+deb12-amd64", "6.12.117+deb12-amd64", "5.10.0-46-amd64", "6.12.107+deb12-cloud-amd64", "7.3.4+deb13-amd64"];
    expect(suggestedComparisons(ks, { compare: compareKernels, series: seriesOf, line: kernelLine })).toEqual([
      { from: "6.12.117+deb12-amd64", to: "7.3.4+deb13-amd64" },
      { from: "6.1.0-57-amd64", to: "6.12.117+deb12-amd64" },
      { from: "5.10.0-46-amd64", to: "6.1.0-57-amd64" },
    ]);
  });
});
