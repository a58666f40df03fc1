import { describe, expect, it } from "vitest";
import pg from "pg";
import { isDatabaseUnavailable } from "@/lib/db/availability";
import { ConnectionWaitError, TransactionTimeoutError } from "@/lib/db/write-transaction";

/** An error as node-pg raises it for a PostgreSQL error response. */
const pgError = (message: string, code: string) => Object.assign(new pg.DatabaseError(message, 0, "error"), { code });

const withCause = (cause: unknown) => new Error("Invalid `prisma.run.findUnique()` invocation", { cause });

describe("isDatabaseUnavailable: 503, not 500", () => {
  it.each([
    ["socket refused", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:54329"), { code: "ECONNREFUSED" })],
    ["refused, as a cause", withCause(Object.assign(new Error("x"), { code: "ECONNREFUSED" }))],
    ["Prisma P1001", Object.assign(new Error("Can't reach database server at 127.0.0.1:54329"), { code: "P1001" })],
    ["admin shutdown 57P01", withCause({ originalCode: "57P01", message: "terminating connection due to administrator command" })],
    ["starting up 57P03", Object.assign(new Error("the database system is starting up"), { code: "57P03" })],
    ["connection lost", new Error("Connection terminated unexpectedly")],
    ["pool timeout P2024", Object.assign(new Error("Timed out fetching a new connection from the connection pool"), { code: "P2024" })],
    ["a statement cancelled for a client that went away (57014), as another request sees it", withCause({ originalCode: "57014", message: "canceling statement due to user request" })],
    ["node-pg: admin shutdown 57P01", pgError("terminating connection due to administrator command", "57P01")],
    ["node-pg: crash recovery 57P02", pgError("terminating connection because of crash of another server process", "57P02")],
    ["node-pg: too many clients 53300", pgError("sorry, too many clients already", "53300")],
    ["node-pg: a client closed under a transaction", new Error("Client was closed and is not queryable")],
    ["node-pg: no write connection within the wait", new ConnectionWaitError(30_000, new Error("timeout exceeded when trying to connect"))],
    ["aggregate of refusals", new AggregateError([Object.assign(new Error("a"), { code: "ECONNREFUSED" })], "all failed")],
  ])("%s", (_, err) => expect(isDatabaseUnavailable(err)).toBe(true));

  it.each([
    ["unique violation", Object.assign(new Error("Unique constraint failed"), { code: "P2002" })],
    ["syntax error 42601", withCause({ originalCode: "42601", message: "syntax error" })],
    ["node-pg: unique violation 23505", pgError('duplicate key value violates unique constraint "Run_source_externalId_key"', "23505")],
    ["node-pg: invalid input 22P02", pgError("invalid input syntax for type integer", "22P02")],
    ["a write transaction past its timeout", new TransactionTimeoutError(120_000)],
    ["a bug", new TypeError("cannot read properties of undefined")],
    ["a string", "ECONNREFUSED"],
    ["null", null],
  ])("not: %s", (_, err) => expect(isDatabaseUnavailable(err)).toBe(false));

  it("survives a cyclic cause chain", () => {
    const a = new Error("a") as Error & { cause?: unknown };
    a.cause = a;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});
