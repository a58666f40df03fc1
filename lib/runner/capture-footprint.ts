/**
 * Capture a successful build's footprint (lib/domain/footprint.ts): `nm -u` and `modinfo` of the
 * built .ko files, and the kernel headers named by kbuild's .*.cmd dependency files.
 *
 * dkms removes its build dir after a build, .cmd files with it, so a dkms build gets a POST_BUILD
 * script (passed as `--directive`, run by dkms in the build dir before it cleans up) that copies
 * the dependency lists next to the build dir. A module whose dkms.conf has its own POST_BUILD
 * keeps it, and its footprint has symbols only.
 */
import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { makeFootprint, type Footprint } from "../domain/footprint";

const run = promisify(execFile);

export const FOOTPRINT_SCRIPT = ".modcompat-footprint.sh";
export const FOOTPRINT_DEPS = "modcompat-footprint.deps";

/** Run by dkms in its build dir (cwd); writes ../modcompat-footprint.deps, which dkms leaves alone. */
const SCRIPT = `#!/bin/sh
# modcompat: keep kbuild's dependency lists (the kernel headers this build read) before dkms removes the build dir
find . -name '.*.o.cmd' -exec grep -h '\\.h' {} + 2>/dev/null | grep -v '\\$(wildcard' > ../${FOOTPRINT_DEPS}
exit 0
`;

/** Put the POST_BUILD script into the source copy; returns the dkms argument, or null (own POST_BUILD). */
export async function prepareFootprintScript(sourceCopy: string, hasOwnPostBuild: boolean): Promise<string | null> {
  if (hasOwnPostBuild) return null;
  await fs.writeFile(path.join(sourceCopy, FOOTPRINT_SCRIPT), SCRIPT, { mode: 0o755 });
  return `--directive=POST_BUILD=${FOOTPRINT_SCRIPT}`;
}

async function filesUnder(dir: string, test: (name: string) => boolean, max = 5000): Promise<string[]> {
  let entries: string[];
  try {
    entries = (await fs.readdir(dir, { recursive: true })) as string[];
  } catch {
    return [];
  }
  return entries.filter((e) => test(path.basename(e))).slice(0, max).map((e) => path.join(dir, e));
}

async function modinfoField(ko: string, field: string): Promise<string[]> {
  try {
    const { stdout } = await run("modinfo", ["-F", field, ko], { timeout: 10_000 });
    return stdout.split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * @param koDir where the built .ko files are (dkms: <tree>/<name>/<ver>/<kver>/<arch>/module)
 * @param cmdSources dirs holding .*.o.cmd files (a kbuild tree) or files with their contents (the deps copy)
 * Returns null when no .ko was found (nothing to say).
 */
export async function captureFootprint(opts: { koDir: string; cmdDirs: string[]; depsFiles: string[]; sourceDir: string }): Promise<Footprint | null> {
  const kos = await filesUnder(opts.koDir, (n) => n.endsWith(".ko"));
  if (kos.length === 0) return null;
  const nm: string[] = [];
  const licences: string[] = [];
  const namespaces: string[] = [];
  for (const ko of kos) {
    const { stdout } = await run("nm", ["-u", ko], { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 });
    nm.push(stdout);
    licences.push(...(await modinfoField(ko, "license")));
    namespaces.push(...(await modinfoField(ko, "import_ns")));
  }
  const cmd: string[] = [];
  for (const f of opts.depsFiles) cmd.push(await fs.readFile(f, "utf8").catch(() => ""));
  for (const d of opts.cmdDirs) {
    for (const f of await filesUnder(d, (n) => n.startsWith(".") && n.endsWith(".o.cmd"))) cmd.push(await fs.readFile(f, "utf8").catch(() => ""));
  }
  const sources: string[] = [];
  for (const f of await filesUnder(opts.sourceDir, (n) => /\.[ch]$/.test(n), 2000)) {
    const st = await fs.stat(f).catch(() => null);
    if (st?.isFile() && st.size < 4 * 1024 * 1024) sources.push(await fs.readFile(f, "utf8"));
  }
  return makeFootprint({ nm, cmd, sources, licences, importedNamespaces: namespaces });
}
