import { describe, expect, it } from "vitest";
import { isGplCompatible, makeFootprint, parseCalls, parseCmdDeps, parseMacroCalls, parseNmUndefined, parseSourceIncludes, parseSourceReferences, sourceCalls } from "../../lib/domain/footprint";
import { footprintSchema, resultSchema } from "../../lib/schemas/ingest";

describe("footprint parsers", () => {
  it("nm -u: undefined names, sorted, without __this_module", () => {
    expect(parseNmUndefined("                 U strlcpy\n                 U __fentry__\n0000000000000000 D __this_module\n                 w __this_module\n")).toEqual(["__fentry__", "strlcpy"]);
  });
  it("kbuild .cmd deps: kernel headers as include names, the module's own and wildcards left out", () => {
    const cmd = [
      "deps_/tmp/b/v4l2loopback.o := \\",
      "  /usr/src/linux-headers-6.1.0-56-common/include/linux/compiler-version.h \\",
      "    $(wildcard include/config/CC_VERSION_TEXT) \\",
      "  /usr/src/linux-headers-6.1.0-56-amd64/include/generated/autoconf.h \\",
      "  /usr/src/linux-headers-6.1.0-56-common/arch/x86/include/asm/unaligned.h \\",
      "  /usr/src/linux-headers-6.1.0-56-common/include/uapi/linux/videodev2.h \\",
      "  /tmp/b/v4l2loopback_formats.h \\",
      "  include/linux/kconfig.h \\",
    ].join("\n");
    expect(parseCmdDeps(cmd)).toEqual(["asm/unaligned.h", "autoconf.h", "linux/compiler-version.h", "linux/kconfig.h", "linux/videodev2.h"]);
  });
  it("source references and includes: calls outside comments and strings; <…> includes only", () => {
    const src = '#include <linux/string.h>\n#include "local.h"\n  # include <asm/unaligned.h>\n/* strcpy(x) */ if (n) strlcpy(a, "f(", sizeof(a)); // g()\n';
    expect(parseSourceReferences(src)).toEqual(["a", "n", "strlcpy"]);
    expect(parseSourceReferences("static const struct file_operations f = { .llseek = no_llseek, .owner = THIS_MODULE }; x->release(y);")).toEqual(["THIS_MODULE", "f", "file_operations", "no_llseek", "x", "y"]);
    expect(parseSourceIncludes(src)).toEqual(["asm/unaligned.h", "linux/string.h"]);
  });
  it("macro calls with their argument counts", () => {
    expect(parseMacroCalls("static DEFINE_SEMAPHORE(lock);\nDEFINE_SEMAPHORE(b, 1); MODULE_LICENSE(\"GPL\"); x = MIN(f(a, b), 3); NO_ARGS();")).toEqual([
      "DEFINE_SEMAPHORE/1",
      "DEFINE_SEMAPHORE/2",
      "MIN/2",
      "MODULE_LICENSE/1",
      "NO_ARGS/0",
    ]);
  });
  it.each([
    ["lower-case calls too, with nested arguments", "n = hid_report_raw_event(hdev, HID_INPUT_REPORT, buf, f(a, b), 0);", ["f/2", "hid_report_raw_event/5"]],
    ["both arities of an #if on the kernel version", "#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)\nc = class_create(\"vpoll\");\n#else\nc = class_create(THIS_MODULE, \"vpoll\");\n#endif", ["KERNEL_VERSION/3", "class_create/1", "class_create/2"]],
    ["not through a struct member, not keywords, not in comments or strings", "if (x) ops->probe(d); y.release(d); while (k(1)) return sizeof(int); /* gone(1, 2) */ s = \"fake(1)\";", ["k/1"]],
    ["its own definitions, (void) as none", "static int my_init(void) { return helper(); }", ["helper/0", "my_init/0"]],
  ] as const)("calls with their argument counts: %s", (_, src, want) => {
    expect(parseCalls(src)).toEqual([...want]);
  });
  it("sourceCalls: every file's calls, sorted and de-duplicated", () => {
    expect(sourceCalls(["strscpy(a, b, n);", "strscpy(c, d, m); DEFINE_SEMAPHORE(s, 1);"])).toEqual(["DEFINE_SEMAPHORE/2", "strscpy/3"]);
  });
  it.each([
    [["GPL"], true],
    [["Dual BSD/GPL", "GPL v2"], true],
    [["GPL", "Proprietary"], false],
    [[], null],
    [undefined, null],
  ] as const)("licences %j GPL-compatible: %s", (l, want) => {
    expect(isGplCompatible(l as string[] | undefined)).toBe(want);
  });
  it("makeFootprint output passes the ingest schema; a footprint needs a passing result", () => {
    const f = makeFootprint({ nm: ["  U strlcpy"], cmd: ["/usr/src/linux-headers-x/include/linux/string.h"], sources: ["strlcpy(a);"], licences: ["GPL"], importedNamespaces: [] });
    expect(footprintSchema.parse(f)).toEqual(f);
    // every call is kept with its argument count, not only upper-case macros
    expect(f.macroCalls).toEqual(["strlcpy/1"]);
    const base = { module: "m", moduleVersion: "1.0", kernel: "6.1.0-56-amd64", arch: "x86_64", stage: "build", footprint: f };
    expect(resultSchema.safeParse({ ...base, status: "pass" }).success).toBe(true);
    expect(resultSchema.safeParse({ ...base, status: "fail" }).success).toBe(false);
    expect(footprintSchema.safeParse({ ...f, symbols: ["not a symbol"] }).success).toBe(false);
    expect(footprintSchema.safeParse({ ...f, headers: ["../etc/passwd"] }).success).toBe(false);
  });
});
