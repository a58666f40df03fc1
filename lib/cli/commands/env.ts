import type { Command } from "commander";
import Table from "cli-table3";
import { HOST_ENV } from "../../domain/build-environment";
import { compareKernels } from "../../domain/kernel-version";
import { createEnvironment, envNames, envSize, envsDir, kernelsIn, loadEnvironment, readEnvMeta, RELEASES, removeEnvironment } from "../../runner/environments";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `modcompat env create|list|remove`: the chroots kernels of other Debian releases are built in. */
export function registerEnvCommands(program: Command): void {
  const env = program
    .command("env")
    .description(`build environments: chroots of Debian releases, for kernels the host's compiler cannot build for (kept in ${envsDir()}, or $MODCOMPAT_ENVS_DIR)`);

  env
    .command("create <name>")
    .description("create a chroot with mmdebstrap (root; minutes, about 0.5 GB), or install more header packages into an existing one")
    .option("--release <release>", `Debian release: ${Object.keys(RELEASES).join(", ")} (default: the name)`)
    .option("--headers <package>", "a kernel header package to install, e.g. linux-headers-7.3.4+deb13-amd64; repeatable", collect, [])
    .option("--mirror <url>", "Debian mirror (default: the host's, from /etc/apt/sources.list.d/debian.sources)")
    .addHelpText(
      "after",
      `\nReleases:\n${Object.entries(RELEASES)
        .map(([r, v]) => `  ${r.padEnd(9)} ${v.description} (suites: ${v.suites.join(", ")})`)
        .join("\n")}\n\nExample:\n  sudo npx modcompat env create trixie --headers linux-headers-7.3.4+deb13-amd64`,
    )
    .action(async (name: string, o: { release?: string; headers: string[]; mirror?: string }) => {
      const e = await createEnvironment({
        name,
        release: o.release ?? name,
        packages: o.headers,
        mirror: o.mirror,
        log: (l) => process.stderr.write(`${l}\n`),
      });
      process.stdout.write(`${e.name}: ${e.compilerText ?? "no compiler"}, ${e.dkms ?? "no dkms"}, kernels: ${kernelsIn(e.root).join(" ") || "none"}\n`);
    });

  env
    .command("list")
    .description("the host and every build environment, with compiler, dkms and kernel headers")
    .option("--json", "machine-readable output")
    .action(async (o: { json?: boolean }) => {
      const rows = [];
      for (const name of [HOST_ENV, ...envNames()]) {
        const e = await loadEnvironment(name);
        rows.push({
          name,
          release: e.release,
          compiler: e.compilerText,
          dkms: e.dkms,
          kernels: kernelsIn(e.root).sort(compareKernels),
          root: e.root,
          size: name === HOST_ENV ? null : await envSize(name),
          createdAt: name === HOST_ENV ? null : (readEnvMeta(name)?.createdAt ?? null),
        });
      }
      if (o.json) {
        process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
        return;
      }
      const table = new Table({ head: ["name", "release", "compiler", "dkms", "size", "kernel headers"], wordWrap: true, colWidths: [10, 10, 30, 12, 7, 46], ...(process.stdout.isTTY ? {} : { style: { head: [], border: [] } }) });
      for (const r of rows) table.push([r.name, r.release, r.compiler ?? "-", r.dkms ?? "-", r.size ?? "", r.kernels.join("\n") || "(none)"]);
      process.stdout.write(table.toString() + "\n");
      if (rows.length === 1) process.stdout.write(`no build environments yet in ${envsDir()}: sudo npx modcompat env create <${Object.keys(RELEASES).join("|")}>\n`);
    });

  env
    .command("remove <name>")
    .description("delete a build environment (refused while a build has mounts in it)")
    .action(async (name: string) => {
      await removeEnvironment(name);
      process.stdout.write(`removed ${name}\n`);
    });
}
