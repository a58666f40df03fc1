import type { Command } from "commander";
import Table from "cli-table3";
import { createToken, listTokens, revokeToken } from "../../services/tokens";
import { withLocalDatabase } from "../local-db";

/** `modcompat token create|list|revoke`: local admin commands that talk to the database directly. */
export function registerTokenCommands(program: Command): void {
  const token = program.command("token").description("manage API tokens for POST /api/v1/results (talks to the database directly)");
  token
    .command("create")
    .description("create a token; it is printed once, on the last line of stdout")
    .requiredOption("--name <name>", "a label for the token, e.g. the CI job that uses it")
    .action(async (o: { name: string }) =>
      withLocalDatabase(async () => {
        const t = await createToken(o.name);
        console.log(`created token "${t.name}" (id ${t.id}); store it now, it is not shown again:`);
        console.log(t.token);
      }),
    );
  token
    .command("list")
    .description("list tokens (never the secrets)")
    .action(async () =>
      withLocalDatabase(async () => {
        const rows = await listTokens();
        if (rows.length === 0) return console.log("no tokens yet: create one with `modcompat token create --name <name>`");
        const table = new Table({ head: ["id", "name", "prefix", "created", "last used", "state"] });
        for (const r of rows) {
          table.push([r.id, r.name, `${r.prefix}…`, r.createdAt.toISOString(), r.lastUsedAt?.toISOString() ?? "never", r.revokedAt ? `revoked ${r.revokedAt.toISOString()}` : "active"]);
        }
        console.log(table.toString());
      }),
    );
  token
    .command("revoke")
    .description("revoke a token by name or id; requests with it are refused with 403")
    .argument("<name-or-id>")
    .action(async (which: string) =>
      withLocalDatabase(async () => {
        const r = await revokeToken(which);
        console.log(r.alreadyRevoked ? `token "${r.name}" (id ${r.id}) was already revoked` : `revoked token "${r.name}" (id ${r.id})`);
      }),
    );
}
