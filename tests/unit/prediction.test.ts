import { describe, expect, it } from "vitest";
import type { ExportedSymbol } from "../../lib/domain/kernel-api";
import { apiView, predictBuild, type ApiView, type FootprintView, type PredictedOutcome, type PredictionStrength, type ReasonKind } from "../../lib/domain/prediction";

const sym = (name: string, over: Partial<ExportedSymbol> = {}): ExportedSymbol => ({ name, crc: "0x1", gplOnly: false, namespace: "", exporter: "vmlinux", ...over });
// 6.1.0-56 → 6.12.107 in miniature, with the real kinds of change
const BASE = apiView({
  symbols: [sym("strlcpy"), sym("strscpy"), sym("kmalloc"), sym("class_create", { crc: "0xaaa" }), sym("foo_gpl"), sym("cxl_thing"), sym("vmalloc"), sym("__class_create")],
  headers: ["asm/unaligned.h", "linux/string.h", "linux/module.h"],
  callables: ["class_create", "DEFINE_SEMAPHORE/1", "pr_info/*"],
});
const TARGET = apiView({
  symbols: [sym("sized_strscpy"), sym("kmalloc"), sym("class_create", { crc: "0xbbb" }), sym("foo_gpl", { gplOnly: true }), sym("cxl_thing", { namespace: "CXL" })],
  headers: ["linux/unaligned.h", "linux/string.h", "linux/module.h"],
  callables: ["strscpy", "vmalloc", "DEFINE_SEMAPHORE/2", "pr_info/*"],
});
const fp = (over: Partial<FootprintView> = {}): FootprintView => ({ symbols: ["kmalloc"], headers: ["linux/module.h"], licences: ["GPL"], importedNamespaces: [], ...over });

const TABLE: [what: string, footprint: FootprintView | null, outcome: PredictedOutcome, strength: PredictionStrength, kinds: ReasonKind[], summary: RegExp][] = [
  ["nothing it uses changed", fp(), "pass", "strong", [], /nothing it uses changed/],
  ["a used symbol is missing", fp({ symbols: ["kmalloc", "strlcpy"] }), "fail", "strong", ["symbol-removed"], /^strlcpy removed$/],
  ["a symbol became GPL-only, non-GPL module", fp({ symbols: ["foo_gpl"], licences: ["Proprietary"] }), "fail", "strong", ["symbol-gpl-only"], /foo_gpl became GPL-only/],
  ["a symbol became GPL-only, GPL module", fp({ symbols: ["foo_gpl"], licences: ["GPL v2"] }), "pass", "strong", [], /nothing/],
  ["a symbol became GPL-only, licence unknown", fp({ symbols: ["foo_gpl"], licences: undefined }), "pass", "strong", [], /nothing/],
  ["a symbol moved to a namespace not imported", fp({ symbols: ["cxl_thing"] }), "fail", "strong", ["symbol-namespace"], /cxl_thing moved to a namespace/],
  ["a symbol moved to a namespace it imports", fp({ symbols: ["cxl_thing"], importedNamespaces: ["CXL"] }), "pass", "strong", [], /nothing/],
  ["a CRC change only: weaker evidence", fp({ symbols: ["class_create"] }), "pass", "weak", ["symbol-crc-changed"], /1 used symbol changed signature/],
  ["a directly included header removed", fp({ headers: ["asm/unaligned.h"], includes: ["asm/unaligned.h"] }), "fail", "strong", ["header-removed"], /asm\/unaligned.h removed/],
  ["a header read only transitively, removed", fp({ headers: ["asm/unaligned.h"], includes: [] }), "pass", "strong", [], /nothing/],
  ["a called function inlined away (no .ko symbol) removed", fp({ references: ["strlcpy", "kmalloc"] }), "fail", "weak", ["reference-removed"], /^strlcpy removed$/],
  ["a removed export that is still a macro on the target (6.12's vmalloc)", fp({ symbols: ["vmalloc"], references: ["vmalloc"] }), "pass", "strong", [], /nothing/],
  ["a removed export the module never names (emitted by the base's class_create macro)", fp({ symbols: ["__class_create"], references: ["class_create"] }), "pass", "strong", [], /nothing/],
  ["a removed export the module names", fp({ symbols: ["strlcpy"], references: ["strlcpy"] }), "fail", "strong", ["symbol-removed"], /^strlcpy removed$/],
  ["a called name that is still a macro on the target (strscpy)", fp({ references: ["strscpy"] }), "pass", "strong", [], /nothing/],
  ["a macro it calls now takes other arguments (DEFINE_SEMAPHORE, 6.4)", fp({ macroCalls: ["DEFINE_SEMAPHORE/1"] }), "fail", "weak", ["macro-arity"], /^DEFINE_SEMAPHORE takes other arguments$/],
  ["a macro it calls in both forms (#if on the kernel version)", fp({ macroCalls: ["DEFINE_SEMAPHORE/1", "DEFINE_SEMAPHORE/2"] }), "pass", "strong", [], /nothing/],
  ["a variadic macro", fp({ macroCalls: ["pr_info/3"] }), "pass", "strong", [], /nothing/],
  ["a missing symbol that the base did not export either", fp({ symbols: ["spl_panic"] }), "pass", "strong", [], /nothing/],
  ["no footprint", null, "unknown", "weak", [], /no footprint/],
  // sources that also name API only the target has (sized_strscpy) carry a version check
  ["a removed export, and the sources also use the target's newer API", fp({ symbols: ["strlcpy"], references: ["strlcpy", "sized_strscpy"] }), "pass", "weak", ["removed-behind-version-check"], /^strlcpy removed, likely behind a version check in its sources$/],
  ["a symbol moved to a namespace the base build did not import, but the sources call MODULE_IMPORT_NS", fp({ symbols: ["cxl_thing"], macroCalls: ["MODULE_IMPORT_NS/1"] }), "pass", "weak", ["namespace-behind-version-check"], /^cxl_thing moved to a namespace, likely behind a version check/],
  ["a removed header still counts beside the target's newer API", fp({ symbols: ["strlcpy"], references: ["strlcpy", "sized_strscpy"], headers: ["asm/unaligned.h"], includes: ["asm/unaligned.h"] }), "fail", "strong", ["header-removed", "removed-behind-version-check"], /^asm\/unaligned.h removed$/],
];

// The prototype index (call-arity) in miniature: 5.10.0-44 → 5.10.0-45 (hid_report_raw_event gained
// an argument in a Debian stable update), 6.1 → 6.12 (class_create lost its owner: a macro over
// __class_create became a function), 6.12 → 7.2 (asm/unaligned.h went, linux/unaligned.h came in 6.12)
const A_BASE = apiView({
  symbols: [sym("hid_report_raw_event"), sym("strlcpy"), sym("__class_create")],
  headers: ["asm/unaligned.h", "linux/module.h"],
  callables: ["hid_report_raw_event(5)", "class_create/2", "strlcpy(3)", "printk(*)", "__access_remote_vm(6)"],
});
const A_TARGET = apiView({
  symbols: [sym("hid_report_raw_event"), sym("class_create")],
  headers: ["linux/unaligned.h", "linux/module.h"],
  callables: ["hid_report_raw_event(6)", "class_create(1)", "printk(*)", "__access_remote_vm(5)"],
});
// another kernel the module built on, which lacks what the target lacks
const BUILT_WITHOUT = apiView({ symbols: [sym("hid_report_raw_event")], headers: ["linux/module.h"], callables: ["hid_report_raw_event(6)", "class_create(1)"] });
// a snapshot made before the prototype index: no function arities
const A_TARGET_OLD = apiView({ symbols: [sym("hid_report_raw_event"), sym("class_create")], headers: ["linux/module.h"], callables: [] });
const afp = (over: Partial<FootprintView> = {}): FootprintView => fp({ symbols: ["hid_report_raw_event"], ...over });

const ARITY: [what: string, footprint: FootprintView, target: ApiView, also: ApiView | null, outcome: PredictedOutcome, kinds: ReasonKind[], summary: RegExp][] = [
  ["a function it calls now takes another number of arguments (openrazer's hid_report_raw_event)", afp({ macroCalls: ["hid_report_raw_event/5"] }), A_TARGET, null, "fail", ["call-arity"], /^hid_report_raw_event takes other arguments$/],
  ["a macro that became a function of other arity (vpoll's class_create)", afp({ macroCalls: ["class_create/2"] }), A_TARGET, null, "fail", ["call-arity"], /^class_create takes other arguments$/],
  ["both arities called (#if on the kernel version)", afp({ macroCalls: ["hid_report_raw_event/5", "hid_report_raw_event/6"] }), A_TARGET, null, "pass", [], /nothing/],
  ["an arity that did not fit the base either (not what it built with)", afp({ macroCalls: ["hid_report_raw_event/4"] }), A_TARGET, null, "pass", [], /nothing/],
  ["a variadic function", afp({ macroCalls: ["printk/3"] }), A_TARGET, null, "pass", [], /nothing/],
  ["a target snapshot without the prototype index", afp({ macroCalls: ["hid_report_raw_event/5"] }), A_TARGET_OLD, null, "pass", [], /nothing/],
  ["it also built on a kernel that does not declare it at all (scap's __access_remote_vm/6, for kernels before 4.9)", afp({ macroCalls: ["__access_remote_vm/6"] }), A_TARGET, apiView({ symbols: [], headers: [], callables: [] }), "pass", ["built-without-it"], /^__access_remote_vm changed \(it built without it on other\), likely behind a version check/],
  ["it also built on a kernel where its only call form does not fit either", afp({ macroCalls: ["hid_report_raw_event/5"] }), A_TARGET, BUILT_WITHOUT, "pass", ["built-without-it"], /^hid_report_raw_event changed \(it built without it on other\)/],
  ["it also built on a kernel without the removed export", afp({ symbols: ["strlcpy"], references: ["strlcpy"] }), A_TARGET, BUILT_WITHOUT, "pass", ["built-without-it"], /^strlcpy changed \(it built without it on other\)/],
  ["it also built on a kernel without the removed header", afp({ headers: ["asm/unaligned.h"], includes: ["asm/unaligned.h"] }), A_TARGET, BUILT_WITHOUT, "pass", ["built-without-it"], /asm\/unaligned.h changed/],
  ["the other kernel has what the target lacks: the break stands", afp({ symbols: ["strlcpy"], references: ["strlcpy"] }), A_TARGET, A_BASE, "fail", ["symbol-removed"], /^strlcpy removed$/],
  ["a removed header, and the sources include its replacement only the target has", afp({ headers: ["asm/unaligned.h"], includes: ["asm/unaligned.h", "linux/unaligned.h"] }), A_TARGET, null, "pass", ["removed-behind-version-check"], /^asm\/unaligned.h removed, likely behind a version check/],
];

describe("predictBuild: call arity (the prototype index) and the other kernels it built on", () => {
  it.each(ARITY)("%s", (_, footprint, target, also, outcome, kinds, summary) => {
    const p = predictBuild({ footprint, base: A_BASE, target, alsoBuiltOn: also ? [{ kernel: "other", api: also }] : [] });
    expect(p.outcome).toBe(outcome);
    expect(p.reasons.map((r) => r.kind)).toEqual(kinds);
    expect(p.summary).toMatch(summary);
  });
});

describe("predictBuild", () => {
  it.each(TABLE)("%s", (_, footprint, outcome, strength, kinds, summary) => {
    const p = predictBuild({ footprint, base: BASE, target: TARGET });
    expect(p.outcome).toBe(outcome);
    expect(p.strength).toBe(strength);
    expect(p.reasons.map((r) => r.kind)).toEqual(kinds);
    expect(p.summary).toMatch(summary);
  });
  it("backwards (the footprint's kernel is newer than the target) a failure is unknown, a pass stays", () => {
    const back = predictBuild({ footprint: fp({ symbols: ["kmalloc", "strlcpy"] }), base: BASE, target: TARGET, baseIsNewer: true });
    expect([back.outcome, back.summary]).toEqual(["unknown", "only a newer kernel's footprint, which uses strlcpy (older kernels are often served by version checks)"]);
    expect(predictBuild({ footprint: fp(), base: BASE, target: TARGET, baseIsNewer: true }).outcome).toBe("pass");
  });
  it("no snapshot of the target: unknown", () => {
    expect(predictBuild({ footprint: fp(), base: BASE, target: null }).outcome).toBe("unknown");
  });
  it("without the base snapshot a missing symbol is only a weak fail (it may never have been a kernel export)", () => {
    const p = predictBuild({ footprint: fp({ symbols: ["strlcpy"] }), base: null, target: TARGET });
    expect([p.outcome, p.strength]).toEqual(["fail", "weak"]);
  });
  it("a strong reason outranks CRC changes and names the symbols first", () => {
    const p = predictBuild({ footprint: fp({ symbols: ["class_create", "strlcpy", "strscpy"], references: ["strlcpy", "strscpy"], includes: ["asm/unaligned.h"], headers: ["asm/unaligned.h"] }), base: BASE, target: TARGET });
    expect(p.reasons.map((r) => `${r.kind}:${r.name}`)).toEqual(["symbol-removed:strlcpy", "header-removed:asm/unaligned.h", "symbol-crc-changed:class_create"]);
    expect(p.summary).toBe("strlcpy removed, asm/unaligned.h removed");
  });
});
