import { Command, CommanderError } from "commander";
import { registerTokenCommands } from "./commands/token";
import { registerBuildCommand } from "./commands/build";
import { registerRegressionsCommand } from "./commands/regressions";
import { registerCheckCommand } from "./commands/check";
import { registerDbCommand } from "./commands/db";

/**
 * `modcompat` command line. Each command lives in lib/cli/commands/<name>.ts and registers itself
 * here; commands are thin: parse options, call a service or the HTTP API, format the output.
 */
export function buildProgram(): Command {
  const program = new Command()
    .name("modcompat")
    .description("ModCompat: out-of-tree kernel module × kernel compatibility")
    .showHelpAfterError()
    .exitOverride();
  registerTokenCommands(program);
  registerBuildCommand(program);
  registerRegressionsCommand(program);
  registerCheckCommand(program);
  registerDbCommand(program);
  return program;
}

/** Returns the process exit code; usage errors are 3 so scripts can tell them from verdicts. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.exitCode === 0 ? 0 : 3;
    }
    console.error(`modcompat: ${err instanceof Error ? err.message : String(err)}`);
    return 3;
  }
}
