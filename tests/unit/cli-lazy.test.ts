import { describe, expect, it, vi } from "vitest";
import { buildProgram, commandOf } from "../../lib/cli/main";

// Records which heavy modules get imported; the CLI must load them only for the commands that use them.
const loaded = vi.hoisted(() => new Set<string>());
vi.mock("../../lib/db/client", () => {
  loaded.add("prisma");
  return { db: () => ({}), DEFAULT_DATABASE_URL: "" };
});
vi.mock("../../lib/runner/run-builds", () => {
  loaded.add("runner");
  return { runBuilds: () => undefined };
});

describe("the CLI loads commands lazily", () => {
  it("`modcompat check` (the kernel hook's command) loads neither Prisma nor the build runner", async () => {
    expect(commandOf(["node", "modcompat", "check", "--kernel", "6.1.0-56-amd64"])).toBe("check");
    const program = await buildProgram(["node", "modcompat", "check", "--kernel", "6.1.0-56-amd64"]);
    expect(program.commands.map((c) => c.name())).toEqual(["check"]);
    expect([...loaded]).toEqual([]);
  });
  it("help, or a name that is no command, loads every command", async () => {
    expect(commandOf(["node", "modcompat", "--help"])).toBeNull();
    expect(commandOf(["node", "modcompat", "chekc"])).toBeNull();
    const program = await buildProgram(["node", "modcompat", "--help"]);
    expect(program.commands.map((c) => c.name()).sort()).toEqual(["build", "check", "db", "env", "footprints", "import", "kernel-api", "plan", "predict", "regressions", "token", "webhook"]);
    expect([...loaded].sort()).toEqual(["prisma", "runner"]);
  });
});
