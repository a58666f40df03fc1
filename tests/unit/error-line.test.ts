import { describe, expect, it } from "vitest";
import { excerptLog, extractErrorLine, LOG_EXCERPT_MAX_BYTES, normaliseErrorLine, normaliseQuotes } from "@/lib/domain/error-line";

const bytes = (s: string) => new TextEncoder().encode(s).length;

// Lines as gcc 12 (Debian 12), gcc 14, clang, modpost, make and autoconf print them.
const GCC12_STRLCPY =
  "/var/lib/dkms/v4l2loopback/0.12.7/build/v4l2loopback.c:1234:9: error: implicit declaration of function ‘strlcpy’; did you mean ‘strscpy’? [-Werror=implicit-function-declaration]";
const GCC14_STRLCPY =
  "/tmp/modcompat-x1/dkms/v4l2loopback/0.12.7/build/v4l2loopback.c:702:17: error: implicit declaration of function ‘strlcpy’ [-Wimplicit-function-declaration]";
const CLANG_STRLCPY =
  "/home/ci/src/v4l2loopback/v4l2loopback.c:702:9: error: call to undeclared function 'strlcpy'; ISO C99 and later do not support implicit function declarations [-Wimplicit-function-declaration]";
const MISSING_HEADER = "/var/lib/dkms/zfs/2.1.11/build/include/os/linux/spl/sys/byteorder.h:30:10: fatal error: asm/unaligned.h: No such file or directory";
const NO_MEMBER = "/var/lib/dkms/evdi/1.12.0/build/evdi_gem.c:419:37: error: ‘struct block_device’ has no member named ‘bd_inode’";
const MODPOST = 'ERROR: modpost: "strlcpy" [/tmp/x/foo.ko] undefined!';

const V4L2LOOPBACK_MAKE_LOG = `DKMS make.log for v4l2loopback-0.12.7 for kernel 6.12.107+deb12-amd64 (x86_64)
Tue Jan  7 10:00:00 UTC 2025
make -C /lib/modules/6.12.107+deb12-amd64/build M=/var/lib/dkms/v4l2loopback/0.12.7/build modules
make[1]: Entering directory '/usr/src/linux-headers-6.12.107+deb12-amd64'
  CC [M]  /var/lib/dkms/v4l2loopback/0.12.7/build/v4l2loopback.o
/var/lib/dkms/v4l2loopback/0.12.7/build/v4l2loopback.c: In function ‘vidioc_querycap’:
/var/lib/dkms/v4l2loopback/0.12.7/build/v4l2loopback.c:702:9: warning: unused variable ‘dev’ [-Wunused-variable]
${GCC12_STRLCPY}
  702 |         strlcpy(cap->driver, "v4l2 loopback", sizeof(cap->driver));
      |         ^~~~~~~
      |         strscpy
/var/lib/dkms/v4l2loopback/0.12.7/build/v4l2loopback.c:2245:3: error: ‘struct v4l2_device’ has no member named ‘foo’
cc1: some warnings being treated as errors
make[3]: *** [/usr/src/linux-headers-6.12.107+deb12-common/scripts/Makefile.build:229: /var/lib/dkms/v4l2loopback/0.12.7/build/v4l2loopback.o] Error 1
make[2]: *** [/usr/src/linux-headers-6.12.107+deb12-common/Makefile:1945: /var/lib/dkms/v4l2loopback/0.12.7/build] Error 2
make[1]: *** [/usr/src/linux-headers-6.12.107+deb12-common/Makefile:224: __sub-make] Error 2
make[1]: Leaving directory '/usr/src/linux-headers-6.12.107+deb12-amd64'
make: *** [Makefile:47: v4l2loopback.ko] Error 2`;

describe("extractErrorLine", () => {
  it.each<[string, string, string | null]>([
    ["gcc 12, typographic quotes, suggestion and -Werror flag", GCC12_STRLCPY, "implicit declaration of function 'strlcpy'"],
    ["gcc 14 wording", GCC14_STRLCPY, "implicit declaration of function 'strlcpy'"],
    ["clang", CLANG_STRLCPY, "call to undeclared function 'strlcpy'"],
    ["a missing kernel header", MISSING_HEADER, "asm/unaligned.h: No such file or directory"],
    ["a removed struct member", NO_MEMBER, "'struct block_device' has no member named 'bd_inode'"],
    ["another fatal error keeps its kind", "drivers/foo.c:1:1: fatal error: error writing to /tmp/ccX.s: No space left on device", "fatal error: error writing to /tmp/ccX.s: No space left on device"],
    ["modpost undefined symbol, .ko path dropped", MODPOST, "modpost: 'strlcpy' undefined!"],
    ["single-line configure error", "configure: error: *** Unable to build an empty module.", "configure: *** Unable to build an empty module."],
    [
      "OpenZFS configure error with the message on the next line",
      "checking kernel source version... 6.12.107+deb12-amd64\nconfigure: error:\n\t*** Cannot build against kernel version 6.12.107+deb12-amd64.\n\t*** The maximum supported kernel version is 6.10.",
      "configure: *** Cannot build against kernel version 6.12.107+deb12-amd64.",
    ],
    ["linker undefined reference", "ld: foo.o: in function `bar':\nfoo.c:(.text+0x1c): undefined reference to `baz'", "undefined reference to 'baz'"],
    ["make's own error lines are ignored", "make[2]: *** [scripts/Makefile.build:243: v4l2loopback.o] Error 1\nmake: *** [Makefile:47: all] Error 2", null],
    ["cc1's summary is not an error line", "cc1: some warnings being treated as errors", null],
    ["warnings are not errors", "v4l2loopback.c:10:5: warning: no previous prototype for ‘foo’ [-Wmissing-prototypes]", null],
    ["an empty log", "", null],
  ])("%s", (_name, log, expected) => {
    expect(extractErrorLine(log)).toBe(expected);
  });

  it("takes the first compiler error of a real make.log, ignoring warnings and make's echoes", () => {
    expect(extractErrorLine(V4L2LOOPBACK_MAKE_LOG)).toBe("implicit declaration of function 'strlcpy'");
    expect(extractErrorLine(V4L2LOOPBACK_MAKE_LOG.replaceAll("\n", "\r\n"))).toBe("implicit declaration of function 'strlcpy'");
  });

  it("prefers a compiler error that comes after a modpost or linker line", () => {
    expect(extractErrorLine(`${MODPOST}\n${NO_MEMBER}`)).toBe("'struct block_device' has no member named 'bd_inode'");
  });

  it("returns null for null and undefined", () => {
    expect(extractErrorLine(null)).toBeNull();
    expect(extractErrorLine(undefined)).toBeNull();
  });
});

describe("normaliseErrorLine", () => {
  it.each<[string, string]>([
    [GCC12_STRLCPY, "implicit declaration of function 'strlcpy'"],
    [GCC14_STRLCPY, "implicit declaration of function 'strlcpy'"],
    ["v4l2loopback.c:88:3: error: implicit declaration of function ‘strlcpy’; did you mean ‘strscpy’?", "implicit declaration of function 'strlcpy'"],
    [CLANG_STRLCPY, "call to undeclared function 'strlcpy'"],
    [MISSING_HEADER, "asm/unaligned.h: No such file or directory"],
    [NO_MEMBER, "'struct block_device' has no member named 'bd_inode'"],
    [MODPOST, "modpost: 'strlcpy' undefined!"],
    ['ERROR: modpost: "strlcpy" [/var/lib/dkms/v4l2loopback/0.12.7/build/v4l2loopback.ko] undefined!', "modpost: 'strlcpy' undefined!"],
    ["  error:   too   many    spaces  ", "too many spaces"],
    // Not an error line extractErrorLine knows: still stripped of paths, quotes and whitespace.
    ["make[2]: *** [scripts/Makefile.build:243: /var/lib/dkms/x/1.0/build/x.o] Error 1", "make[2]: *** [scripts/Makefile.build:243: x.o] Error 1"],
  ])("%s", (line, expected) => {
    expect(normaliseErrorLine(line)).toBe(expected);
  });

  it("makes the same error from two builds compare equal", () => {
    const a = "/var/lib/dkms/v4l2loopback/0.12.7/build/v4l2loopback.c:1234:9: error: implicit declaration of function ‘strlcpy’; did you mean ‘strscpy’? [-Werror=implicit-function-declaration]";
    const b = "/tmp/modcompat-9f3/dkms/v4l2loopback/0.13.2/build/v4l2loopback.c:88:17: error: implicit declaration of function 'strlcpy' [-Wimplicit-function-declaration]";
    expect(normaliseErrorLine(a)).toBe(normaliseErrorLine(b));
    expect(normaliseErrorLine(a)).toBe("implicit declaration of function 'strlcpy'");
  });

  it("keeps different errors different", () => {
    expect(normaliseErrorLine(GCC12_STRLCPY)).not.toBe(normaliseErrorLine(GCC12_STRLCPY.replaceAll("strlcpy", "strncpy")));
  });

  it("agrees with extractErrorLine on every line extractErrorLine recognises", () => {
    for (const line of [GCC12_STRLCPY, GCC14_STRLCPY, CLANG_STRLCPY, MISSING_HEADER, NO_MEMBER, MODPOST, "x.c:1:1: fatal error: out of memory allocating 42 bytes", "configure: error: no kernel"]) {
      expect(normaliseErrorLine(line)).toBe(extractErrorLine(line));
    }
  });

  it("is idempotent", () => {
    for (const line of [GCC12_STRLCPY, MODPOST, NO_MEMBER, MISSING_HEADER, "x.c:1:1: fatal error: out of memory allocating 42 bytes", "cc1: fatal error: out of memory"]) {
      const once = normaliseErrorLine(line);
      expect(normaliseErrorLine(once)).toBe(once);
    }
  });
});

describe("normaliseQuotes", () => {
  it.each([
    ["‘strlcpy’", "'strlcpy'"],
    ["`baz'", "'baz'"],
    ["“x”", "'x'"],
    ['"strlcpy"', "'strlcpy'"],
  ])("%s → %s", (input, expected) => {
    expect(normaliseQuotes(input)).toBe(expected);
  });
});

describe("excerptLog", () => {
  it("keeps a short log whole", () => {
    expect(excerptLog(V4L2LOOPBACK_MAKE_LOG)).toEqual({ excerpt: V4L2LOOPBACK_MAKE_LOG, truncated: false });
  });

  it("keeps a log of exactly the limit whole", () => {
    const log = "x".repeat(LOG_EXCERPT_MAX_BYTES);
    expect(excerptLog(log)).toEqual({ excerpt: log, truncated: false });
  });

  it("cuts a 1 MB log to at most 16 KiB, marks it, and keeps the first error and the final status", () => {
    const filler = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `  CC [M]  /var/lib/dkms/big/1.0/build/${tag}${i}.o`);
    const log = [...filler(12_000, "a"), ...V4L2LOOPBACK_MAKE_LOG.split("\n").slice(4, 13), ...filler(12_000, "b"), "make: *** [Makefile:47: big.ko] Error 2"].join("\n");
    expect(bytes(log)).toBeGreaterThan(1_000_000);
    const { excerpt, truncated } = excerptLog(log);
    expect(truncated).toBe(true);
    expect(bytes(excerpt)).toBeLessThanOrEqual(16 * 1024);
    expect(excerpt).toContain("log truncated");
    expect(excerpt).toContain(GCC12_STRLCPY);
    expect(excerpt).toContain("In function ‘vidioc_querycap’"); // context before the error
    expect(excerpt.trimEnd().endsWith("make: *** [Makefile:47: big.ko] Error 2")).toBe(true);
    expect(extractErrorLine(excerpt)).toBe(extractErrorLine(log));
  });

  it("keeps the first of many errors", () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `/build/m.c:${i + 1}:1: error: unknown type name ‘t${i}’`);
    const { excerpt } = excerptLog(lines.join("\n"));
    expect(excerpt).toContain(lines[0]);
    expect(bytes(excerpt)).toBeLessThanOrEqual(LOG_EXCERPT_MAX_BYTES);
  });

  it("keeps the error of a verbose build whose command lines are several KiB long", () => {
    const cmd = (i: number) => `  gcc -Wp,-MMD,./.m${i}.o.d -nostdinc ${"-I./arch/x86/include ".repeat(150)}-c -o m${i}.o m${i}.c`;
    const lines = [...Array.from({ length: 200 }, (_, i) => cmd(i)), GCC12_STRLCPY, ...Array.from({ length: 200 }, (_, i) => cmd(1000 + i)), "make: *** [Makefile:47: m.ko] Error 2"];
    const { excerpt, truncated } = excerptLog(lines.join("\n"));
    expect(truncated).toBe(true);
    expect(bytes(excerpt)).toBeLessThanOrEqual(LOG_EXCERPT_MAX_BYTES);
    expect(excerpt).toContain(GCC12_STRLCPY);
    expect(excerpt).toContain("make: *** [Makefile:47: m.ko] Error 2");
  });

  it("keeps the tail of a log without any error line", () => {
    const log = Array.from({ length: 50_000 }, (_, i) => `line ${i}`).join("\n");
    const { excerpt, truncated } = excerptLog(log);
    expect(truncated).toBe(true);
    expect(bytes(excerpt)).toBeLessThanOrEqual(LOG_EXCERPT_MAX_BYTES);
    expect(excerpt.startsWith("\n[… log truncated")).toBe(true);
    expect(excerpt.endsWith("line 49999")).toBe(true);
  });

  it("shows the end of a huge log that has no newline at all", () => {
    const { excerpt } = excerptLog("a".repeat(200_000) + "THE-END");
    expect(bytes(excerpt)).toBeLessThanOrEqual(LOG_EXCERPT_MAX_BYTES);
    expect(excerpt.endsWith("THE-END")).toBe(true);
  });

  it("drops NUL bytes, which PostgreSQL text cannot store, from short and long logs", () => {
    expect(excerptLog("make\u0000 ok")).toEqual({ excerpt: "make ok", truncated: false });
    expect(excerptLog("\u0000".repeat(100_000) + "end").excerpt).not.toContain("\u0000");
    expect(extractErrorLine("x.c:1:2: error: bad\u0000 thing")).toBe("bad thing");
  });

  it("counts bytes, not characters, and never splits a multi-byte character", () => {
    const log = Array.from({ length: 20_000 }, (_, i) => `‘ü’ ${i} ‘strlcpy’`).join("\n");
    const { excerpt } = excerptLog(log, 1000);
    expect(bytes(excerpt)).toBeLessThanOrEqual(1000);
    expect(excerpt).not.toContain("\uFFFD");
  });
});
