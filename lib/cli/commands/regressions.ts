import type { Command } from "commander";
import { recomputeIncidents } from "../../services/regressions/recompute-incidents";
import { withLocalDatabase } from "../local-db";

/** `modcompat regressions recompute`: rebuild every module's incidents from its raw results. */
export function registerRegressionsCommand(program: Command): void {
  const regressions = program.command("regressions").description("regression detection (talks to the database directly)");
  regressions
    .command("recompute")
    .description("recompute the regressions of every module from all stored results (ingest keeps them current; use this after upgrading the rules)")
    .option("--quiet", "print only the summary")
    .action(async (o: { quiet?: boolean }) =>
      withLocalDatabase(async () => {
        const started = Date.now();
        const r = await recomputeIncidents({ onModule: o.quiet ? undefined : (slug, done, total) => console.error(`[${done}/${total}] ${slug}`) });
        console.log(
          `recomputed regressions of ${r.modules} module${r.modules === 1 ? "" : "s"}: ${r.incidents} incident${r.incidents === 1 ? "" : "s"} ` +
            `(${r.open} open, ${r.incidents - r.open} fixed), ${r.removed} removed, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
      }),
    );
}
