import type { Command } from "commander";
import { importKernelApi } from "../../services/kernel-api/import-kernel-api";
import { withLocalDatabase } from "../local-db";

const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

/** `modcompat kernel-api import DIR…`: store each headers dir's exported symbols and header paths. */
export function registerKernelApiCommands(program: Command): void {
  const cmd = program.command("kernel-api").description("kernel API snapshots from header packages (talks to the database directly)");
  cmd
    .command("import")
    .description("read Module.symvers and the header tree (include/, arch/x86/include/, the -common package's too) of each headers dir and store its snapshot")
    .argument("<dirs...>", "headers dirs, e.g. /usr/src/linux-headers-6.1.0-56-amd64")
    .option("--kernel <kver>", "the kernel string, when the dir has no include/generated/utsrelease.h (one dir only)")
    .action(async (dirs: string[], o: { kernel?: string }) =>
      withLocalDatabase(async () => {
        if (o.kernel && dirs.length > 1) throw new Error("--kernel names one kernel: give one dir");
        for (const dir of dirs) {
          const r = await importKernelApi({ dir, kernel: o.kernel });
          console.log(
            `${r.kernel}\t${r.symbols} symbols (${r.gplOnly} GPL-only, ${r.namespaced} namespaced)\t${r.headers} headers\t${r.callables} header names (macros, inlines, typedefs)\t` +
              `${kib(r.storedBytes)} stored (${kib(r.plainBytes)} plain)\t${r.ms} ms${r.unchanged ? "\tunchanged" : ""}` +
              `${r.rejectedLines ? `\t${r.rejectedLines} unreadable Module.symvers lines` : ""}`,
          );
        }
      }),
    );
}
