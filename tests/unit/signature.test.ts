import { describe, expect, it } from "vitest";
import {
  extractSignature,
  formatSignature,
  groupBySignature,
  signaturePath,
  symbolFromSegments,
  type SignatureIncident,
  type SignatureKind,
} from "../../lib/domain/signature";

// Error lines as gcc/clang/modpost print them (raw) and as ingest stores them (normalised).
const TABLE: [line: string, symbol: string | null, kind: SignatureKind | null][] = [
  ["implicit declaration of function 'strlcpy'", "strlcpy", "function"],
  ["/tmp/v4l2loopback.c:520:9: error: implicit declaration of function ‘strlcpy’; did you mean ‘strscpy’? [-Werror=implicit-function-declaration]", "strlcpy", "function"],
  ["error: call to undeclared function 'strlcpy'; ISO C99 and later do not support implicit function declarations", "strlcpy", "function"],
  ["'struct block_device' has no member named 'bd_inode'", "struct block_device::bd_inode", "member"],
  ["drivers/x.c:10:5: error: ‘const struct file_operations’ has no member named ‘ioctl’", "struct file_operations::ioctl", "member"],
  ["no member named 'bd_inode' in 'struct block_device'", "struct block_device::bd_inode", "member"],
  ["asm/unaligned.h: No such file or directory", "asm/unaligned.h", "header"],
  ["fatal error: linux/genhd.h: No such file or directory", "linux/genhd.h", "header"],
  ["src/x.c:3:10: fatal error: 'linux/genhd.h' file not found", "linux/genhd.h", "header"],
  ["macro 'DEFINE_SEMAPHORE' requires 2 arguments, but only 1 given", "DEFINE_SEMAPHORE", "macro"],
  ['x.c:40:27: error: macro "DEFINE_SEMAPHORE" passed 1 arguments, but takes just 2', "DEFINE_SEMAPHORE", "macro"],
  ["type defaults to 'int' in declaration of 'DEFINE_SEMAPHORE'", "DEFINE_SEMAPHORE", "macro"],
  ["implicit declaration of function 'PDE_DATA'", "PDE_DATA", "macro"],
  ["too few arguments to function 'blk_alloc_disk'", "blk_alloc_disk", "function"],
  ["too many arguments to function 'class_create'; expected 1, have 2", "class_create", "function"],
  ["passing argument 1 of 'class_create' from incompatible pointer type", "class_create", "function"],
  ["'ZFS_META_VERSION' undeclared (first use in this function)", "ZFS_META_VERSION", "macro"],
  ["'totalram_pages' undeclared (first use in this function)", "totalram_pages", "symbol"],
  ["unknown type name 'wait_queue_t'", "wait_queue_t", "type"],
  ["invalid use of undefined type 'struct drm_device'", "struct drm_device", "type"],
  ["modpost: 'ktime_get_real_ts' undefined!", "ktime_get_real_ts", "symbol"],
  ['ERROR: modpost: "__bad_udelay" [/tmp/build/foo.ko] undefined!', "__bad_udelay", "symbol"],
  ["modpost: GPL-incompatible module zfs.ko uses GPL-only symbol 'bio_start_io_acct'", "bio_start_io_acct", "symbol"],
  ["undefined reference to 'foo_bar'", "foo_bar", "symbol"],
  ["configure: *** Cannot build against kernel version 6.18", null, null],
  // configure checks name a kernel interface (OpenZFS), grouped across modules like compiler errors
  ['configure: error:\n\t*** None of the expected "file_fallocate" interfaces were detected.', "file_fallocate", "interface"],
  ['\t*** None of the expected "file_fallocate" interfaces were detected.', "file_fallocate", "interface"],
  ["configure: *** None of the expected 'file_fallocate' interfaces were detected.", "file_fallocate", "interface"],
  ['configure: *** None of the expected "bops->release()" interfaces were detected.', "bops->release()", "interface"],
  ["configure: kernel 6.12.107+deb12-amd64 is outside the supported range 3.10 - 6.2 (no 'file_fallocate' interface)", "file_fallocate", "interface"],
  // compiler output in other locales: German „…“, »…«, French «…»
  ["v4l2loopback.c:520:9: Fehler: implizite Deklaration der Funktion „strlcpy“ [-Werror=implicit-function-declaration]", "strlcpy", "function"],
  ["x.c:3:10: schwerwiegender Fehler: asm/unaligned.h: Datei oder Verzeichnis nicht gefunden", "asm/unaligned.h", "header"],
  ["x.c:9:5: Fehler: »struct uart_state« hat kein Element namens »xmit«", "struct uart_state::xmit", "member"],
  ["error: implicit declaration of function „strlcpy“", "strlcpy", "function"],
  ["error: implicit declaration of function »strlcpy«", "strlcpy", "function"],
  ["error: implicit declaration of function « strlcpy »".replace(/ /g, " ").replace("« ", "«").replace(" »", "»"), "strlcpy", "function"],
  ["»struct block_device« has no member named »bd_inode«", "struct block_device::bd_inode", "member"],
  // real lines from the Debian 12 builds on 6.12: callbacks whose prototype changed
  ["initialization of 'void (*)(struct platform_device *)' from incompatible pointer type 'int (*)(struct platform_device *)'", "void (*)(struct platform_device *)", "callback"],
  [
    "initialization of 'const __u8 * (*)(struct hid_device *, __u8 *, unsigned int *)' {aka 'const unsigned char * (*)(struct hid_device *, unsigned char *, unsigned int *)'} from incompatible pointer type '__u8 * (*)(struct hid_device *, __u8 *, unsigned int *)' {aka 'unsigned char * (*)(struct hid_device *, unsigned char *, unsigned int *)'}",
    "const __u8 * (*)(struct hid_device *, __u8 *, unsigned int *)",
    "callback",
  ],
  ["initialization of 'int' from 'void *' makes integer from pointer without a cast", null, null],
  ["internal compiler error: Segmentation fault", null, null],
];

describe("extractSignature", () => {
  it.each(TABLE)("%s", (line, symbol, kind) => {
    const sig = extractSignature(line);
    expect(sig).toEqual(symbol === null ? null : { symbol, kind });
  });
  it("has nothing to say about no line", () => {
    expect(extractSignature(null)).toBeNull();
    expect(extractSignature("")).toBeNull();
  });
});

describe("signature paths", () => {
  it.each(["strlcpy", "asm/unaligned.h", "struct block_device::bd_inode", "DEFINE_SEMAPHORE", "void (*)(struct platform_device *)"])("%s round-trips", (symbol) => {
    const path = signaturePath(symbol);
    expect(path.startsWith("/signatures/")).toBe(true);
    expect(path).not.toMatch(/ /);
    const segments = path.slice("/signatures/".length).split("/");
    expect(symbolFromSegments(segments)).toBe(symbol);
  });
  it("keeps header slashes readable", () => {
    expect(signaturePath("asm/unaligned.h")).toBe("/signatures/asm/unaligned.h");
  });
  it("formats by kind", () => {
    expect(formatSignature({ symbol: "strlcpy", kind: "function" })).toBe("strlcpy()");
    expect(formatSignature({ symbol: "asm/unaligned.h", kind: "header" })).toBe("<asm/unaligned.h>");
  });
});

describe("groupBySignature", () => {
  const base = { kind: "function" as const, symbol: "strlcpy", fixedInKernel: null };
  const incidents: SignatureIncident[] = [
    { ...base, id: 1, module: "v4l2loopback", lastGoodSeries: "6.7", series: "6.8", firstBadKernel: "6.8", status: "fixed", fixedIn: "0.13.2" },
    { ...base, id: 2, module: "nat-rtsp", lastGoodSeries: "6.1", series: "6.12", firstBadKernel: "6.12.107+deb12-amd64", status: "open", fixedIn: null },
    { ...base, id: 3, module: "v4l2loopback", lastGoodSeries: "6.1", series: "6.12", firstBadKernel: "6.12.107+deb12-amd64", status: "open", fixedIn: null },
    { id: 4, module: "evdi", symbol: "asm/unaligned.h", kind: "header", lastGoodSeries: "6.11", series: "6.12", firstBadKernel: "6.12", status: "fixed", fixedIn: "1.14.8", fixedInKernel: null },
  ];
  it("groups across modules by symbol and keeps the window of the kernel change", () => {
    const groups = groupBySignature(incidents);
    expect(groups.map((g) => g.symbol)).toEqual(["strlcpy", "asm/unaligned.h"]);
    const [strlcpy] = groups;
    expect(strlcpy).toMatchObject({ firstBrokenSeries: "6.8", lastPassingSeries: "6.7", series: ["6.8", "6.12"], openModules: 2, fixedModules: 0 });
    expect(strlcpy.modules).toEqual([
      { module: "nat-rtsp", status: "open", incidentIds: [2], firstBadKernels: ["6.12.107+deb12-amd64"], fixedIn: [] },
      { module: "v4l2loopback", status: "open", incidentIds: [1, 3], firstBadKernels: ["6.8", "6.12.107+deb12-amd64"], fixedIn: ["0.13.2"] },
    ]);
    expect(groups[1]).toMatchObject({ fixedModules: 1, openModules: 0, lastPassingSeries: "6.11" });
  });
});
