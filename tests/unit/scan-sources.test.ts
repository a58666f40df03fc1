import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scanSourceTree } from "../../lib/runner/scan-sources";

describe("scanSourceTree: a module's sources read again for their calls", () => {
  const tree = (files: Record<string, string>) => {
    const dir = mkdtempSync(path.join(tmpdir(), "scan-"));
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    }
    return dir;
  };
  it("reads .c and .h files, not others, and digests them", async () => {
    const files = { "razerkbd.c": "n = hid_report_raw_event(h, t, d, s, 0);", "sub/compat.h": "#define X(a) strscpy(a, b, 3)", "dkms.conf": "foo(1, 2)" };
    const r = await scanSourceTree(tree(files));
    expect(r).toEqual({ calls: ["X/1", "hid_report_raw_event/5", "strscpy/3"], sourceDigest: expect.stringMatching(/^[0-9a-f]{64}$/), files: 2 });
    expect((await scanSourceTree(tree(files))).sourceDigest).toBe(r.sourceDigest);
    expect((await scanSourceTree(tree({ ...files, "razerkbd.c": "hid_report_raw_event(h, t, d, s, 0, 1);" }))).sourceDigest).not.toBe(r.sourceDigest);
  });
});
