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
    .option("--source <source>", "may post only to this source (repeatable); default: any source it owns or creates first", collect, [])
    .option("--module <pattern>", "may post only for module slugs matching this pattern, * as wildcard (repeatable); default: every module", collect, [])
    .option("--admin", "may post to any source and change any module's name, homepage and description")
    .action(async (o: { name: string; source: string[]; module: string[]; admin?: boolean }) =>
      withLocalDatabase(async () => {
        const t = await createToken(o.name, { sources: o.source, modules: o.module, admin: o.admin ?? false });
        console.log(`created token "${t.name}" (id ${t.id}), scopes: ${scopeText({ admin: o.admin ?? false, sources: o.source, modulePatterns: o.module })}`);
        console.log("store it now, it is not shown again:");
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
        const table = new Table({ head: ["id", "name", "prefix", "scopes", "created", "last used", "state"] });
        for (const r of rows) {
          table.push([r.id, r.name, `${r.prefix}…`, scopeText(r), r.createdAt.toISOString(), r.lastUsedAt?.toISOString() ?? "never", r.revokedAt ? `revoked ${r.revokedAt.toISOString()}` : "active"]);
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

const collect = (value: string, previous: string[]) => [...previous, value];

/** One line per token: what it may do (lib/services/authorize-ingest.ts). */
export function scopeText(t: { admin: boolean; sources: string[]; modulePatterns: string[] }): string {
  if (t.admin) return "admin (any source, any module, module metadata)";
  const sources = t.sources.length ? `sources ${t.sources.join(", ")}` : "own sources";
  const modules = t.modulePatterns.length ? `modules ${t.modulePatterns.join(", ")}` : "any module";
  return `ingest: ${sources}; ${modules}`;
}
