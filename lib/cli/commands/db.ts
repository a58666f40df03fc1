import type { Command } from "commander";
import { checkStoredRules, reindex, STORED_OUTPUTS, type StoredRulesCheck } from "../../services/reindex";
import { withLocalDatabase } from "../local-db";

function print(r: StoredRulesCheck, verb: string): number {
  const total = STORED_OUTPUTS.reduce((n, w) => n + r.counts[w], 0);
  for (const d of r.differences) console.log(`${d.what}\t${d.row}\t${d.detail}`);
  if (total > r.differences.length) console.log(`… and ${total - r.differences.length} more`);
  console.log(`${total} stored rule output${total === 1 ? "" : "s"} ${verb} (${STORED_OUTPUTS.map((w) => `${w} ${r.counts[w]}`).join(", ")})`);
  return total;
}

/** `modcompat db reindex [--check]`: recompute every stored rule output from today's rules. */
export function registerDbCommand(program: Command): void {
  const dbCmd = program.command("db").description("database maintenance (talks to the database directly)");
  dbCmd
    .command("reindex")
    .description(
      "recompute every stored output of a rule (kernel and version sort keys and parsed columns, Cell, VersionCellStates, incidents) from the raw results; needed after changing a rule",
    )
    .option("--check", "change nothing; list what differs and exit 1 if anything does")
    .option("--quiet", "no progress lines")
    .action(async (o: { check?: boolean; quiet?: boolean }) =>
      withLocalDatabase(async () => {
        const started = Date.now();
        if (o.check) {
          const differing = print(await checkStoredRules(), "differ from today's rules");
          if (differing > 0) process.exitCode = 1;
          return;
        }
        const r = await reindex({ onModule: o.quiet ? undefined : (slug, done, total) => console.error(`[${done}/${total}] ${slug}`) });
        print(r, `rewritten in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }),
    );
}
