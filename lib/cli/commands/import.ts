import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { importOpenzfsMeta } from "../../services/import-openzfs-meta";
import { withLocalDatabase } from "../local-db";

const DEFAULT_SERVER = "http://127.0.0.1:3000";

interface ImportCliOptions {
  server: string;
  token?: string;
  module?: string;
  version?: string;
  kernel?: string;
  arch?: string;
  stage?: string;
  source?: string;
  runId?: string;
  partial?: boolean;
}

/** POST a file to an import endpoint; prints the answer; exit 0 stored (or replayed), 3 refused or unreachable. */
async function postImport(kind: "kcidb" | "junit", file: string, o: ImportCliOptions): Promise<number> {
  const body = await readFile(file === "-" ? "/dev/stdin" : file);
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries({ module: o.module, version: o.version, kernel: o.kernel, arch: o.arch, stage: o.stage, source: o.source, run: o.runId })) {
    if (v) query.set(k, v);
  }
  if (o.partial) query.set("partial", "1");
  const url = `${o.server.replace(/\/+$/, "")}/api/v1/import/${kind}${query.size ? `?${query}` : ""}`;
  const token = o.token ?? process.env.MODCOMPAT_TOKEN;
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": kind === "kcidb" ? "application/json" : "application/xml", Accept: "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body,
    });
  } catch (e) {
    process.stderr.write(`modcompat: POST ${url} failed: ${e instanceof Error ? e.message : String(e)}\n`);
    return 3;
  }
  const text = await res.text();
  process.stdout.write(`POST ${url} → HTTP ${res.status}\n${text}\n`);
  return res.ok ? 0 : 3;
}

/**
 * `modcompat import kcidb|junit FILE`: send a KCIDB v5 document or a JUnit XML report to the server.
 * `modcompat import openzfs-meta <path>`: declared kernel ranges of OpenZFS releases (talks to the database directly).
 */
export function registerImportCommand(program: Command): void {
  const cmd = program
    .command("import")
    .description("send results in another format to the server (KCIDB v5 JSON, JUnit XML), or import module metadata from upstream sources (OpenZFS META)");
  cmd
    .command("openzfs-meta")
    .description(
      "record every OpenZFS release (not release candidates, not the x.y.99 development markers) as a version of module zfs " +
        "with its declared kernel range (META Linux-Minimum/Maximum) and tag date, and no build results (talks to the database directly)",
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
  for (const kind of ["kcidb", "junit"] as const) {
    const sub = cmd
      .command(`${kind} <file>`)
      .description(kind === "kcidb" ? "import a KCIDB v5 JSON document (checkouts, builds, tests); - reads stdin" : "import a JUnit XML report; - reads stdin")
      .option("--server <url>", "the ModCompat server (env MODCOMPAT_SERVER)", process.env.MODCOMPAT_SERVER || DEFAULT_SERVER)
      .option("--token <token>", "API token (default: $MODCOMPAT_TOKEN)")
      .option("--module <slug>", "module, for entries that do not name it")
      .option("--version <version>", "module version, for entries that do not name it")
      .option("--kernel <kver>", "kernel, for entries that do not name it")
      .option("--arch <arch>", "arch, for entries that do not name it")
      .option("--partial", "store what maps even if some entries do not (they are listed)");
    if (kind === "junit") {
      sub
        .option("--stage <stage>", "stage of test cases without a modcompat.stage property (default: test)")
        .option("--source <name>", "run source (default: junit)")
        .option("--run-id <id>", "run id (default: a hash of the file, so resending it stores nothing twice)");
    }
    sub.action(async (file: string, o: ImportCliOptions) => {
      const code = await postImport(kind, file, o);
      process.exitCode = code;
      process.once("exit", () => {
        process.exitCode = code;
      });
    });
  }
}
