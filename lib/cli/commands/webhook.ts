import type { Command } from "commander";
import Table from "cli-table3";
import { WEBHOOK_EVENTS } from "../../domain/webhook";
import { addWebhook, listWebhooks, removeWebhook } from "../../services/webhooks/subscriptions";
import { withLocalDatabase } from "../local-db";

interface AddOptions {
  url: string;
  secret?: string;
  module?: string;
  series?: string;
  kernel?: string;
  event: string[];
}

/** `modcompat webhook add|list|remove`: local admin commands that talk to the database directly. */
export function registerWebhookCommands(program: Command): void {
  const webhook = program.command("webhook").description("manage webhook subscriptions (talks to the database directly; remotely: /api/v1/webhooks with the admin token)");
  webhook
    .command("add")
    .description("subscribe a URL to events; the signing secret is printed once, on the last line")
    .requiredOption("--url <url>", "where to POST events")
    .option("--module <slug>", "only events of this module")
    .option("--series <series>", "only events on this kernel series, e.g. 6.12")
    .option("--kernel <kver>", "only events that involve this kernel")
    .option("--event <type>", `only these events (repeatable): ${WEBHOOK_EVENTS.join(", ")}`, (v: string, p: string[]) => [...p, v], [])
    .option("--secret <secret>", "HMAC secret (default: generated)")
    .action(async (o: AddOptions) =>
      withLocalDatabase(async () => {
        const w = await addWebhook({ url: o.url, secret: o.secret, module: o.module, series: o.series, kernel: o.kernel, ...(o.event.length ? { events: o.event } : {}) });
        console.log(`webhook ${w.id} → ${w.url}; bodies are signed with HMAC-SHA256 in X-ModCompat-Signature; secret:`);
        console.log(w.secret);
      }),
    );
  webhook
    .command("list")
    .description("list subscriptions and their deliveries (never the secrets)")
    .action(async () =>
      withLocalDatabase(async () => {
        const rows = await listWebhooks();
        if (rows.length === 0) return console.log("no webhooks: add one with `modcompat webhook add --url <url>`");
        const table = new Table({ head: ["id", "url", "module", "series", "kernel", "events", "pending", "delivered", "failed"] });
        for (const w of rows) table.push([w.id, w.url, w.module ?? "*", w.series ?? "*", w.kernel ?? "*", w.events.join(" ") || "all", w.deliveries.pending, w.deliveries.delivered, w.deliveries.failed]);
        console.log(table.toString());
      }),
    );
  webhook
    .command("remove")
    .argument("<id>")
    .description("remove a subscription and its pending deliveries")
    .action(async (id: string) =>
      withLocalDatabase(async () => {
        const r = await removeWebhook(Number(id));
        console.log(`removed webhook ${r.id} (${r.url})`);
      }),
    );
}
