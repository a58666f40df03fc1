import type { Command } from "commander";
import type { SourceScanInput } from "../../schemas/source-scan";
import { withLocalDatabase } from "../local-db";

/**
 * `modcompat footprints scan-sources SPEC… [--from-ingest FILE…] [--out FILE]`: read the packaged
 * sources of module versions again (Debian `pkg=version` or a source dir, as `build --module`
 * takes them) for the calls they make with their argument counts: the source-level part of a
 * footprint, for footprints recorded before the runner kept every call. Stored per module version
 * (SourceScan) with where the sources came from and their digest, or written to a file.
 */
export function registerFootprintsCommands(program: Command): void {
  const cmd = program.command("footprints").description("footprints of passing builds");
  cmd
    .command("import-scans")
    .description("store the source scans of files written by `scan-sources --out` (the demo loads data/demo/source-scans/ at first start)")
    .argument("<dir>", "a directory of scan files, e.g. data/demo/source-scans")
    .action(async (dir: string) =>
      withLocalDatabase(async () => {
        const { loadSourceScanFiles } = await import("../../services/footprints/load-source-scan-files");
        const r = await loadSourceScanFiles(dir);
        console.log(`stored ${r.stored} scans from ${r.files} files${r.unknownVersions.length ? `; unknown module versions: ${r.unknownVersions.join(", ")}` : ""}`);
      }),
    );
  cmd
    .command("scan-sources")
    .description("scan module versions' packaged sources for their calls with argument counts (the prototype-index check); stores them, or writes --out")
    .argument("[specs...]", "Debian packages (openrazer-driver-dkms=3.5.1+dfsg-2+deb12u1) or module source dirs")
    .option("--from-ingest <file...>", "ingest files: every module version with a footprint there, by the Debian package its run's meta names")
    .option("--out <file>", "write the scans to this file (as data/demo/source-scans/ holds them) instead of the database")
    .action(async (specs: string[], o: { fromIngest?: string[]; out?: string }) => {
      const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
      const os = await import("node:os");
      const path = await import("node:path");
      const { resolveModules, SourceError } = await import("../../runner/sources");
      const { scanSourceTree } = await import("../../runner/scan-sources");
      const { sourceScanFileSchema } = await import("../../schemas/source-scan");
      const { createHash } = await import("node:crypto");
      const wanted = [...specs];
      if (o.fromIngest) {
        const { footprintedPackages } = await import("../../services/footprints/footprinted-packages");
        wanted.push(...footprintedPackages(o.fromIngest));
      }
      if (wanted.length === 0) throw new Error("give module specs, or --from-ingest FILE");
      const workRoot = mkdtempSync(path.join(os.tmpdir(), "modcompat-scan-"));
      try {
        const sources = await resolveModules([...new Set(wanted)], { workRoot });
        let scans: SourceScanInput[] = [];
        for (const s of sources) {
          if (s instanceof SourceError) {
            console.error(`skipped: ${s.message}`);
            continue;
          }
          const r = await scanSourceTree(s.dir);
          const source = s.debian ? `debian:${s.debian.package}=${s.debian.version}${s.debian.origin ? ` (${s.debian.origin})` : ""}` : `dir:${path.resolve(s.spec)}`;
          scans.push({ module: s.slug, version: s.version, calls: r.calls, source, sourceDigest: r.sourceDigest, files: r.files });
          console.log(`${s.slug} ${s.version}\t${r.calls.length} calls in ${r.files} files\t${source}`);
        }
        // one module version from several packages (vpoll 0.1 is 0.1-2 in bullseye, 0.1-3 in bookworm): the
        // footprints do not say which one built, so every call form of either counts
        const byVersion = new Map<string, SourceScanInput>();
        for (const s of scans) {
          const key = `${s.module}\0${s.version}`;
          const had = byVersion.get(key);
          byVersion.set(
            key,
            had
              ? { ...had, calls: [...new Set([...had.calls, ...s.calls])].sort(), source: `${had.source} + ${s.source}`, sourceDigest: createHash("sha256").update(`${had.sourceDigest}\0${s.sourceDigest}`).digest("hex"), files: had.files + s.files }
              : s,
          );
        }
        scans = [...byVersion.values()].sort((a, b) => (`${a.module}\0${a.version}` < `${b.module}\0${b.version}` ? -1 : 1));
        if (o.out) {
          const file = sourceScanFileSchema.parse({ format: "modcompat source scans v1", madeAt: new Date().toISOString(), madeBy: "npx modcompat footprints scan-sources", scans });
          writeFileSync(o.out, JSON.stringify(file) + "\n");
          console.log(`wrote ${scans.length} scans to ${o.out}`);
          return;
        }
        await withLocalDatabase(async () => {
          const { recordSourceScans } = await import("../../services/footprints/record-source-scans");
          const r = await recordSourceScans(scans);
          console.log(`stored ${r.stored} scans${r.unknownVersions.length ? `; unknown module versions: ${r.unknownVersions.join(", ")}` : ""}`);
        });
      } finally {
        rmSync(workRoot, { recursive: true, force: true });
      }
    });
}
