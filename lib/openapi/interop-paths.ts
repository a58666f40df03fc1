/** OpenAPI entries of the interop endpoints (issue 15): KCIDB and JUnit import/export, webhooks. */
import { z } from "zod";
import { WEBHOOK_EVENTS } from "../domain/webhook";
import { MAX_RESULTS_PER_REQUEST } from "../schemas/ingest";
import { webhookInputSchema, webhookSchema } from "../schemas/webhooks";
import type { JsonSchema, Method, Operation, Parameter } from "./document";

const REF = "#/components/schemas/";
const json = (schema: JsonSchema) => ({ "application/json": { schema } });
const error = (description: string) => ({ description, content: json({ $ref: `${REF}ApiError` }) });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const q = (name: string, description: string): Parameter => ({ name, in: "query", required: false, description, schema: { type: "string" } });
const toSchema = (s: z.ZodType, io: "input" | "output") => z.toJSONSchema(s, { io, unrepresentable: "any" }) as JsonSchema;
const importResponse: JsonSchema = {
  description: "the ingest answer, plus the entries that were not mapped (with partial=1) and, for KCIDB, those an earlier document already brought",
  allOf: [
    { $ref: `${REF}IngestResponse` },
    {
      type: "object",
      properties: {
        unmapped: { type: "array", items: { type: "object", properties: { id: { type: "string" }, index: { type: "integer" }, reason: { type: "string" } } } },
        alreadyImported: { type: "integer" },
      },
    },
  ],
};
const importErrors = {
  "401": error("no or unknown bearer token"),
  "409": error("the same ids were imported before with other content"),
  "413": error(`more than ${MAX_RESULTS_PER_REQUEST} results`),
  "415": error("wrong Content-Type"),
  "422": error("not a valid document, or entries that cannot be mapped (each named in issues); nothing stored"),
};
const defaults = [q("module", "module slug for entries that do not name it"), q("version", "module version, likewise"), q("kernel", "kernel, likewise"), q("arch", "arch, likewise"), q("partial", "1: store the mappable entries and list the others")];
const admin = [{ bearer: [] }];

export function interopPaths(): Record<string, Partial<Record<Method, Operation>>> {
  return {
    "/api/v1/import/kcidb": {
      post: {
        operationId: "importKcidb",
        summary: "Import a KCIDB v5 document",
        description:
          "Checkouts, builds and tests of a KCIDB v5 document (schema v5.3 of kcidb-io) become one run of results through the same path as POST /api/v1/results. " +
          "Module, version and kernel come from `misc.modcompat` or the query; builds map to the build stage, tests to `modcompat.<stage>` paths or the test stage. " +
          "The run id is derived from the document's ids, which run.meta keeps: a replay stores nothing twice.",
        tags: ["results"],
        security: [{ bearer: [] }],
        parameters: defaults,
        requestBody: { required: true, content: json({ type: "object", description: "KCIDB v5 JSON" }) },
        responses: { "201": ok("stored", importResponse), "200": ok("a replay; nothing stored again", importResponse), ...importErrors },
      },
    },
    "/api/v1/export/kcidb": {
      get: {
        operationId: "exportKcidb",
        summary: "A module's results as a KCIDB v5.3 document",
        tags: ["results"],
        parameters: [{ ...q("module", "module slug"), required: true }, q("version", "only this version")],
        responses: { "200": ok("KCIDB v5.3, origin modcompat", { type: "object" }), "404": error("unknown module"), "422": error(`no module, or more than ${MAX_RESULTS_PER_REQUEST} results (narrow with version=)`) },
      },
    },
    "/api/v1/export/junit": {
      get: {
        operationId: "exportJunit",
        summary: "A module's results as JUnit XML",
        description: "One testsuite per module version, one testcase per result, with the `modcompat.*` properties POST /api/v1/import/junit reads.",
        tags: ["results"],
        parameters: [{ ...q("module", "module slug"), required: true }, q("version", "only this version")],
        responses: {
          "200": { description: "JUnit XML", content: { "application/xml": { schema: { type: "string" } } } },
          "404": error("unknown module"),
          "422": error(`no module, or more than ${MAX_RESULTS_PER_REQUEST} results (narrow with version=)`),
        },
      },
    },
    "/api/v1/import/junit": {
      post: {
        operationId: "importJunit",
        summary: "Import a JUnit XML report",
        description:
          "Each testcase is one result: failure → fail, error → error, skipped → skip, else pass. Module, version, kernel, arch and stage come from the properties " +
          "`modcompat.module`, `modcompat.version`, `modcompat.kernel`, `modcompat.arch`, `modcompat.stage` (testcase or enclosing testsuite) or from the query.",
        tags: ["results"],
        security: [{ bearer: [] }],
        parameters: [...defaults, q("stage", "stage (default test)"), q("source", "run source (default junit)"), q("run", "run id (default: hash of the report)"), q("url", "run URL")],
        requestBody: { required: true, content: { "application/xml": { schema: { type: "string" } } } },
        responses: { "201": ok("stored", importResponse), "200": ok("a replay; nothing stored again", importResponse), ...importErrors },
      },
    },
    "/api/v1/webhooks": {
      get: {
        operationId: "listWebhooks",
        summary: "Webhook subscriptions (admin)",
        tags: ["webhooks"],
        security: admin,
        responses: { "200": ok("subscriptions", { type: "object", properties: { webhooks: { type: "array", items: toSchema(webhookSchema, "output") } } }), "401": error("not the admin token"), "403": error("admin API disabled") },
      },
      post: {
        operationId: "addWebhook",
        summary: "Subscribe to events (admin)",
        description: `Events: ${WEBHOOK_EVENTS.join(", ")}. Each POST is signed: \`X-ModCompat-Signature: sha256=<HMAC-SHA256 of the body with the secret>\`; failed deliveries are retried with back-off.`,
        tags: ["webhooks"],
        security: admin,
        requestBody: { required: true, content: json(toSchema(webhookInputSchema, "input")) },
        responses: { "201": ok("created; the secret is shown this once", { type: "object" }), "401": error("not the admin token"), "403": error("admin API disabled"), "422": error("invalid subscription") },
      },
    },
    "/api/v1/webhooks/{id}": {
      delete: {
        operationId: "removeWebhook",
        summary: "Unsubscribe (admin)",
        tags: ["webhooks"],
        security: admin,
        parameters: [{ name: "id", in: "path", required: true, description: "webhook id", schema: { type: "string" } }],
        responses: { "200": ok("removed", { type: "object" }), "401": error("not the admin token"), "404": error("unknown webhook") },
      },
    },
  };
}
