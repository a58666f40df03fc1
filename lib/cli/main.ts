import { Command, CommanderError } from "commander";

type Register = (program: Command) => void;

/**
 * The commands, each in lib/cli/commands/<name>.ts, loaded only when needed: `modcompat check`
 * (run by the kernel hook before every kernel install) loads neither Prisma nor the build runner.
 * Commands are thin: parse options, call a service or the HTTP API, format the output.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  token: async () => (await import("./commands/token")).registerTokenCommands,
  build: async () => (await import("./commands/build")).registerBuildCommand,
  regressions: async () => (await import("./commands/regressions")).registerRegressionsCommand,
  check: async () => (await import("./commands/check")).registerCheckCommand,
  db: async () => (await import("./commands/db")).registerDbCommand,
  env: async () => (await import("./commands/env")).registerEnvCommands,
  import: async () => (await import("./commands/import")).registerImportCommand,
  plan: async () => (await import("./commands/plan")).registerPlanCommand,
  webhook: async () => (await import("./commands/webhook")).registerWebhookCommands,
  "kernel-api": async () => (await import("./commands/kernel-api")).registerKernelApiCommands,
  predict: async () => (await import("./commands/predict")).registerPredictCommand,
  footprints: async () => (await import("./commands/footprints")).registerFootprintsCommands,
};

/** The command a command line names, if it names one; otherwise (help, typos) every command is loaded. */
export function commandOf(argv: readonly string[]): string | null {
  const name = argv.slice(2).find((a) => !a.startsWith("-"));
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? name : null;
}

export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command()
    .name("modcompat")
    .description("ModCompat: out-of-tree kernel module × kernel compatibility")
    .showHelpAfterError()
    .exitOverride();
  const one = commandOf(argv);
  for (const name of one ? [one] : Object.keys(COMMANDS)) (await COMMANDS[name]())(program);
  return program;
}

/** Returns the process exit code; usage errors are 3 so scripts can tell them from verdicts. */
export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
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
