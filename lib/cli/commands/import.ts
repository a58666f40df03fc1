import type { Command } from "commander";
import { importOpenzfsMeta } from "../../services/import-openzfs-meta";
import { withLocalDatabase } from "../local-db";

/** `modcompat import openzfs-meta <path>`: declared kernel ranges of OpenZFS releases (talks to the database directly). */
export function registerImportCommand(program: Command): void {
  const imp = program.command("import").description("import module metadata from upstream sources (talks to the database directly)");
  imp
    .command("openzfs-meta")
    .description(
      "record every OpenZFS release (not release candidates, not the x.y.99 development markers) as a version of module zfs " +
        "with its declared kernel range (META Linux-Minimum/Maximum) and tag date, and no build results",
    )
    .argument("<path>", "an OpenZFS git checkout, a directory of META files, or a CSV in the format of shared/data/openzfs-meta.csv")
    .action(async (input: string) =>
      withLocalDatabase(async () => {
        const r = await importOpenzfsMeta(input);
        const skipped = `${r.skipped["release-candidate"]} release candidate${r.skipped["release-candidate"] === 1 ? "" : "s"} and ${r.skipped["dev-branch-marker"]} development marker${r.skipped["dev-branch-marker"] === 1 ? "" : "s"} skipped`;
        console.log(
          `zfs: ${r.releases} release${r.releases === 1 ? "" : "s"} from a ${r.kind} source (${r.created} new, ${r.updated} updated; ` +
            `${r.dated} with a release date); ${skipped}${r.newRun ? "" : "; this input had been imported before"}`,
        );
      }),
    );
}
