import type { Command } from "commander";
import { importKernelApi } from "../../services/kernel-api/import-kernel-api";
import { withLocalDatabase } from "../local-db";

const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

/** The headers dirs of every installed kernel (host and build environments), named as the runner names them. */
async function installedHeaders(only: string[] = []) {
  const { resolveKernels } = await import("../../runner/kernels");
  const targets = await resolveKernels({ kernels: only, allInstalled: only.length === 0 });
  for (const t of targets) if (!t.headersPresent) console.error(`${t.kernel}\tno headers installed on the host or in a build environment: skipped`);
  return targets
    .filter((t) => t.headersPresent)
    .map((t) => ({ dir: t.buildDir, kernel: t.kernel, headerPackage: t.headerPackage, environment: t.env?.name ?? "host" }));
}

/** `modcompat kernel-api import DIR… | --all-installed`: store each headers dir's exported symbols, header paths and header names. */
export function registerKernelApiCommands(program: Command): void {
  const cmd = program.command("kernel-api").description("kernel API snapshots from header packages (talks to the database directly)");
  cmd
    .command("import")
    .description(
      "read Module.symvers and the header tree (include/, arch/x86/include/, the -common package's too) of each headers dir and store its snapshot; an unchanged snapshot is not rewritten",
    )
    .argument("[dirs...]", "headers dirs, e.g. /usr/src/linux-headers-6.1.0-56-amd64")
    .option("--kernel <kver>", "the kernel string, when the dir has no include/generated/utsrelease.h or the package version names an rc (one dir only)")
    .option("--all-installed", "every kernel with /lib/modules/*/build, on the host and in every build environment, named as `modcompat build` names it (7.3-rc7-amd64)")
    .action(async (dirs: string[], o: { kernel?: string; allInstalled?: boolean }) =>
      withLocalDatabase(async () => {
        if (o.kernel && dirs.length !== 1) throw new Error("--kernel names one kernel: give one dir");
        const jobs = [...dirs.map((dir) => ({ dir, kernel: o.kernel })), ...(o.allInstalled ? await installedHeaders() : [])];
        if (jobs.length === 0) throw new Error("give headers dirs, or --all-installed");
        for (const job of jobs) {
          const r = await importKernelApi(job);
          console.log(
            `${r.kernel}\t${r.symbols} symbols (${r.gplOnly} GPL-only, ${r.namespaced} namespaced)\t${r.headers} headers\t${r.callables} header names (macros, inlines, typedefs, prototypes)\t` +
              `${kib(r.storedBytes)} stored (${kib(r.plainBytes)} plain)\t${r.ms} ms${r.unchanged ? "\tunchanged" : ""}` +
              `${r.rejectedLines ? `\t${r.rejectedLines} unreadable Module.symvers lines` : ""}`,
          );
        }
      }),
    );

  cmd
    .command("export")
    .description(
      "write each installed kernel's snapshot (as import reads it) to OUT/<kernel>.txt.gz: a JSON header line (kernel, header package and version, source dir, date) and the sorted encodings, gzip -9; the demo loads these at first start. No database.",
    )
    .requiredOption("--out <dir>", "where to write, e.g. data/demo/kernel-api")
    .option("--kernel <kver...>", "only these kernels (release or identity, e.g. 7.3-rc7-amd64); default: every installed kernel")
    .action(async (o: { out: string; kernel?: string[] }) => {
      const { existsSync, mkdirSync, readFileSync, writeFileSync } = await import("node:fs");
      const path = await import("node:path");
      const { readSnapshot } = await import("../../services/kernel-api/import-kernel-api");
      const { decodeSnapshotFile, encodeSnapshotFile } = await import("../../services/kernel-api/snapshot-file");
      mkdirSync(o.out, { recursive: true });
      let total = 0;
      for (const job of await installedHeaders(o.kernel ?? [])) {
        const started = Date.now();
        const { api, texts, counts, digest } = await readSnapshot(job);
        const file = encodeSnapshotFile(
          {
            kernel: api.kernel,
            ...(job.headerPackage ? { headerPackage: job.headerPackage } : {}),
            environment: job.environment,
            sourceDir: api.dir,
            trees: api.trees,
            madeAt: new Date().toISOString(),
            madeBy: "npx modcompat kernel-api export",
            counts,
            sha256: digest,
          },
          texts,
        );
        const out = path.join(o.out, `${api.kernel}.txt.gz`);
        // the same snapshot is not rewritten (its file keeps the date it was made)
        const before = existsSync(out) ? decodeSnapshotFile(readFileSync(out), out).header : null;
        if (before?.sha256 === digest && JSON.stringify(before.headerPackage) === JSON.stringify(job.headerPackage)) {
          total += readFileSync(out).length;
          console.log(`${api.kernel}\tunchanged\t${out}`);
          continue;
        }
        writeFileSync(out, file);
        total += file.length;
        console.log(`${api.kernel}\t${counts.symbols} symbols\t${counts.headers} headers\t${counts.callables} header names\t${kib(file.length)}\t${Date.now() - started} ms\t${out}`);
      }
      console.log(`total ${kib(total)}`);
    });
}
