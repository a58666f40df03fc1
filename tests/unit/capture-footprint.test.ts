import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { captureFootprint, prepareFootprintScript } from "../../lib/runner/capture-footprint";

const haveTools = spawnSync("gcc", ["--version"]).status === 0 && spawnSync("nm", ["--version"]).status === 0;

/**
 * The runner's capture on real files: an ELF object compiled here stands in for the .ko (nm reads
 * its undefined symbols), a kbuild .cmd file for the build's dependency list, a .c for the sources;
 * the POST_BUILD script runs as dkms runs it, in the build dir.
 */
describe.skipIf(!haveTools)("captureFootprint", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "modcompat-fp-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads nm -u of the .ko files, the kernel headers of the deps, the sources' names and includes", async () => {
    const src = path.join(dir, "src");
    const build = path.join(dir, "dkms", "m", "1.0", "build");
    const ko = path.join(dir, "dkms", "m", "1.0", "6.1.0-56-amd64", "x86_64", "module");
    for (const d of [src, build, ko]) mkdirSync(d, { recursive: true });
    const c = '#include <linux/string.h>\n#include "own.h"\nextern unsigned long strlcpy(char *, const char *, unsigned long);\nextern void kfree(const void *);\nint f(char *a) { kfree(a); return (int)strlcpy(a, "x", 1); }\n';
    writeFileSync(path.join(src, "m.c"), c);
    execFileSync("gcc", ["-c", "-x", "c", "-", "-o", path.join(ko, "m.ko")], { input: c.replace(/#include.*\n/g, "") });
    writeFileSync(
      path.join(build, ".m.o.cmd"),
      "deps_/b/m.o := \\\n  /usr/src/linux-headers-6.1.0-56-common/include/linux/string.h \\\n    $(wildcard include/config/X) \\\n  /b/own.h \\\n",
    );
    // dkms runs the POST_BUILD script in its build dir before deleting it
    const arg = await prepareFootprintScript(build, false);
    expect(arg).toBe("--directive=POST_BUILD=.modcompat-footprint.sh");
    execFileSync("sh", ["./.modcompat-footprint.sh"], { cwd: build });
    rmSync(build, { recursive: true });

    const f = await captureFootprint({ koDir: path.join(dir, "dkms", "m", "1.0", "6.1.0-56-amd64", "x86_64", "module"), cmdDirs: [], depsFiles: [path.join(dir, "dkms", "m", "1.0", "modcompat-footprint.deps")], sourceDir: src });
    expect(f?.symbols).toEqual(expect.arrayContaining(["kfree", "strlcpy"]));
    expect(f?.headers).toEqual(["linux/string.h"]);
    expect(f?.includes).toEqual(["linux/string.h"]);
    expect(f?.references).toEqual(expect.arrayContaining(["f", "kfree", "strlcpy"]));
  });

  it("a module with its own POST_BUILD keeps it: no script, no directive", async () => {
    expect(await prepareFootprintScript(dir, true)).toBeNull();
  });

  it("no .ko: nothing to say", async () => {
    expect(await captureFootprint({ koDir: path.join(dir, "nothing"), cmdDirs: [], depsFiles: [], sourceDir: dir })).toBeNull();
  });
});
