import { createHash } from "node:crypto";
import type { QueryConfig } from "pg";

/**
 * Named (prepared) statements for node-pg (issue 11 and 14): PostgreSQL plans an unnamed statement
 * at every execution. Under `npm run load` the server's PostgreSQL spent more CPU planning than
 * executing (pg_stat_statements: 15.9 s of planning against 11.7 s of execution in a 60 s run, 75,153
 * plans for 77,667 statements), most of it on the ingest's detection and insert statements, which
 * are a few fixed texts run thousands of times. A named statement is parsed once per connection,
 * and PostgreSQL keeps its plan: after five executions it switches to a generic plan when that is
 * estimated no worse than the custom ones (plan_cache_mode auto), so a statement whose best plan
 * depends on its parameters keeps being planned for them.
 *
 * The name is a hash of the text, so one text has one name on every connection and no two texts
 * share one. Every connection keeps what it prepared until it closes (node-pg has no eviction), so
 * only the first MAX_NAMED distinct texts of the process are named; later ones, which only
 * statements built with a varying shape could produce, run unnamed as before.
 */
export const MAX_NAMED = 512;

/** The prepared-statement names given so far in this process, by statement text. */
export class StatementNames {
  private readonly names = new Map<string, string>();
  constructor(private readonly max = MAX_NAMED) {}

  /** The name of a statement text, or undefined once `max` texts have names and this is not one of them. */
  nameOf(text: string): string | undefined {
    let name = this.names.get(text);
    if (name === undefined && this.names.size < this.max) {
      name = `mc_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
      this.names.set(text, name);
    }
    return name;
  }

  get size(): number {
    return this.names.size;
  }
}

const holder = globalThis as unknown as { __modcompatStatementNames?: StatementNames };

/** node-pg's query config for a statement: named when the process still names new texts (see above). */
export function preparedQuery(text: string, values: readonly unknown[]): QueryConfig {
  holder.__modcompatStatementNames ??= new StatementNames();
  const name = holder.__modcompatStatementNames.nameOf(text);
  return name === undefined ? { text, values: values as unknown[] } : { name, text, values: values as unknown[] };
}
