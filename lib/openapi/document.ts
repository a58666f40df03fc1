import { z } from "zod";
import { compareQuerySchema, compareResponseSchema, MAX_COMPARE_ITEMS, predictQuerySchema, predictResponseSchema } from "../schemas/kernel-api";
import { checkBodySchema, checkQuerySchema, checkResponseSchema, checkTextQuerySchema, badgeQuerySchema, MAX_CHECK_MODULES } from "../schemas/check";
import { apiErrorSchema, ingestBodySchema, ingestResponseSchema, MAX_BODY_BYTES, MAX_RESULTS_PER_REQUEST, runSchema } from "../schemas/ingest";
import { kernelListQuerySchema, knownResultsQuerySchema, matrixQuerySchema, moduleListQuerySchema } from "../schemas/query";
import { interopPaths } from "./interop-paths";
import {
  moduleHistoryResponseSchema,
  regressionListResponseSchema,
  regressionResponseSchema,
  signatureListResponseSchema,
  signatureResponseSchema,
  upcomingResponseSchema,
} from "../schemas/maintainers";
import { feedQuerySchema, regressionsQuerySchema, watchQuerySchema } from "../schemas/regressions";
import {
  cellResponseSchema,
  kernelListResponseSchema,
  kernelResponseSchema,
  knownResultsResponseSchema,
  matrixResponseSchema,
  moduleListResponseSchema,
  moduleResponseSchema,
} from "../schemas/read";

/**
 * The OpenAPI 3.1 document of the whole public API, generated from the zod schemas the routes
 * validate with (z.toJSONSchema), so the document cannot describe a contract the code does not
 * enforce. Served at /api/v1/openapi.json and rendered at /api-docs.
 */

export type JsonSchema = { [key: string]: unknown };

export interface Parameter {
  name: string;
  in: "query" | "path" | "header";
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: Parameter[];
  requestBody?: { required: boolean; description?: string; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; headers?: Record<string, { description: string; schema: JsonSchema }>; content?: Record<string, { schema: JsonSchema }> }>;
  security?: Record<string, string[]>[];
}

export type Method = "get" | "post" | "delete";

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Partial<Record<Method, Operation>>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
}

const REF = "#/components/schemas/";
const ref = (id: string): JsonSchema => ({ $ref: `${REF}${id}` });

// Named schemas. Requests are described as the client sends them (zod "input"), responses as the
// server sends them ("output").
const REQUESTS: Record<string, z.ZodType> = {
  IngestBody: ingestBodySchema,
  CheckRequest: checkBodySchema,
  // run.meta values: any JSON, a recursive schema that needs a name to be referenced
  JsonValue: runSchema.shape.meta.unwrap().valueType,
};
const RESPONSES: Record<string, z.ZodType> = {
  ApiError: apiErrorSchema,
  IngestResponse: ingestResponseSchema,
  CheckResponse: checkResponseSchema,
  ModuleList: moduleListResponseSchema,
  Module: moduleResponseSchema,
  Matrix: matrixResponseSchema,
  Cell: cellResponseSchema,
  KernelList: kernelListResponseSchema,
  Kernel: kernelResponseSchema,
  KnownResults: knownResultsResponseSchema,
  RegressionList: regressionListResponseSchema,
  Regression: regressionResponseSchema,
  SignatureList: signatureListResponseSchema,
  Signature: signatureResponseSchema,
  ModuleHistory: moduleHistoryResponseSchema,
  UpcomingList: upcomingResponseSchema,
  KernelCompare: compareResponseSchema,
  Prediction: predictResponseSchema,
};

/** z.int() bounds are JavaScript's safe-integer range: true, and noise in a document. */
function dropSafeIntegerBounds({ jsonSchema }: { jsonSchema: JsonSchema }): void {
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
}

function componentSchemas(named: Record<string, z.ZodType>, io: "input" | "output"): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io, unrepresentable: "any", override: dropSafeIntegerBounds, uri: (id) => `${REF}${id}` });
  // Schemas used by several components (the recursive JSON value of run.meta) land in a "__shared"
  // bag with refs into it; make them components of their own.
  const shared = (schemas.__shared?.$defs ?? {}) as Record<string, JsonSchema>;
  delete schemas.__shared;
  const out: Record<string, JsonSchema> = {};
  for (const [id, s] of Object.entries({ ...schemas, ...shared })) {
    const rest = { ...(s as JsonSchema) };
    delete rest.$schema;
    delete rest.$id;
    out[id] = rest;
  }
  const text = JSON.stringify(out).replaceAll(`${REF}__shared#/$defs/`, REF);
  return JSON.parse(text) as Record<string, JsonSchema>;
}

/** Query parameters from the zod schema a route parses its query with. */
function queryParams(schema: z.ZodType, descriptions: Record<string, string> = {}): Parameter[] {
  const js = z.toJSONSchema(schema, { io: "input", unrepresentable: "any", override: dropSafeIntegerBounds }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: "query" as const,
    required: js.required?.includes(name) ?? false,
    ...(descriptions[name] ? { description: descriptions[name] } : {}),
    schema: s,
  }));
}

const pathParam = (name: string, description: string): Parameter => ({ name, in: "path", required: true, description, schema: { type: "string" } });

const json = (schema: JsonSchema) => ({ "application/json": { schema } });
const healthSchema: JsonSchema = {
  type: "object",
  required: ["status", "app", "database"],
  properties: {
    status: { type: "string", enum: ["ok", "unavailable"] },
    app: {
      type: "object",
      properties: {
        uptimeSeconds: { type: "integer" },
        node: { type: "string" },
        pid: { type: "integer", description: "the server process that answered (npm start runs one per core)" },
        workers: { type: "integer", description: "how many server processes share the port" },
        microcache: {
          type: "object",
          description:
            "this process's admission control and busy-server microcache: answers replayed (hits) and rendered, answers stored now, requests running and waiting now, waiting requests dropped because their client left, and requests refused with 503 because the queue was full",
          properties: Object.fromEntries(["hits", "renders", "stored", "storedBytes", "running", "waiting", "dropped", "refused"].map((k) => [k, { type: "integer" }])),
        },
      },
    },
    database: { type: "object", properties: { ok: { type: "boolean" }, latencyMs: { type: ["integer", "null"] }, error: { type: "string" } } },
  },
};
const error = (description: string) => ({ description, content: json(ref("ApiError")) });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const atom = (description: string) => ({ description, content: { "application/atom+xml": { schema: { type: "string" } } } });

const SLUG = pathParam("slug", "module slug, e.g. v4l2loopback");

function paths(): OpenApiDocument["paths"] {
  return {
    "/api/v1/results": {
      post: {
        operationId: "postResults",
        summary: "Report build results of one run",
        description:
          `One reporter run, stored all-or-nothing; at most ${MAX_RESULTS_PER_REQUEST} results and ${MAX_BODY_BYTES / 1024 / 1024} MiB. ` +
          "Unknown modules, versions and kernels are created. Resending the same run.source + run.id with the same body is a no-op answered with the first answer (200); with another body, 409.",
        tags: ["results"],
        security: [{ bearer: [] }],
        requestBody: { required: true, content: json(ref("IngestBody")) },
        responses: {
          "201": ok("stored", ref("IngestResponse")),
          "200": ok("a replay of a run already stored; nothing stored again", ref("IngestResponse")),
          "400": error("malformed JSON"),
          "401": error("no or unknown bearer token"),
          "403": error("revoked token"),
          "409": error("the run id was already used with other content"),
          "413": error("body too large"),
          "415": error("not application/json"),
          "422": error("the body does not match the schema; issues name each bad field"),
        },
      },
    },
    "/api/v1/results/known": {
      get: {
        operationId: "getKnownResults",
        summary: "What a reporter already sent",
        description: "Module version × kernel × arch combinations reported by one source, for runners that skip known builds.",
        tags: ["results"],
        parameters: queryParams(knownResultsQuerySchema),
        responses: { "200": ok("one page of the known combinations", ref("KnownResults")), "422": error("missing source, or a bad cursor or limit") },
      },
    },
    "/api/v1/modules": {
      get: {
        operationId: "listModules",
        summary: "Modules with their newest version and newest passing kernel",
        tags: ["modules"],
        parameters: queryParams(moduleListQuerySchema, { q: "search in slug, name and description" }),
        responses: { "200": ok("modules, by slug", ref("ModuleList")) },
      },
    },
    "/api/v1/modules/{slug}": {
      get: {
        operationId: "getModule",
        summary: "One module with its versions",
        tags: ["modules"],
        parameters: [SLUG],
        responses: { "200": ok("the module", ref("Module")), "404": error("no such module") },
      },
    },
    "/api/v1/modules/{slug}/matrix": {
      get: {
        operationId: "getMatrix",
        summary: "The compatibility matrix of one module",
        description: "Versions (newest first) × kernels (kernel order, grouped by series), the data the matrix page shows.",
        tags: ["modules"],
        parameters: [
          SLUG,
          ...queryParams(matrixQuerySchema, {
            arch: "only this arch",
            distro: "only kernels of this distro (debian, ubuntu, …)",
            from: "first series shown, e.g. 6.1",
            to: "last series shown",
            expand: "series whose kernels are listed one by one (comma-separated or repeated)",
          }),
          {
            name: "format",
            in: "query",
            required: false,
            description:
              "`full` (default): one object per cell. `compact`: columnar, per series a headline letter and four counts per version, kernels and one status letter per version × kernel only for the series in `expand` (README, Compact matrix)",
            schema: { type: "string", enum: ["full", "compact"] },
          },
        ],
        responses: { "200": ok("the matrix (format=compact: the compact answer, not described by this schema)", ref("Matrix")), "404": error("no such module"), "422": error("invalid filter") },
      },
    },
    "/api/v1/modules/{slug}/versions/{version}/kernels/{kernel}": {
      get: {
        operationId: "getCell",
        summary: "One cell: a module version on a kernel, with its raw results",
        tags: ["modules"],
        parameters: [SLUG, pathParam("version", "module version, e.g. 0.12.7"), pathParam("kernel", "kernel, URL-encoded, e.g. 6.12.107%2Bdeb12-amd64")],
        responses: { "200": ok("the cell per arch and its latest raw results", ref("Cell")), "404": error("no such module version, kernel or result") },
      },
    },
    "/api/v1/health": {
      get: {
        operationId: "getHealth",
        summary: "App and database state, for load balancers",
        description: "200 when the database answers `SELECT 1` within 2 s; otherwise 503 with `Retry-After`.",
        tags: ["meta"],
        responses: {
          "200": ok("app and database are up", healthSchema),
          "503": { description: "the database is unreachable; Retry-After says when to ask again", content: json(healthSchema) },
        },
      },
    },
    "/api/v1/kernels": {
      get: {
        operationId: "listKernels",
        summary: "Known kernels, newest first, one page at a time",
        tags: ["kernels"],
        parameters: queryParams(kernelListQuerySchema),
        responses: { "200": ok("kernels", ref("KernelList")), "422": error("invalid series, limit or offset") },
      },
    },
    "/api/v1/kernels/{version}": {
      get: {
        operationId: "getKernel",
        summary: "Which module versions pass or fail on one kernel",
        tags: ["kernels"],
        parameters: [pathParam("version", "kernel as uname -r prints it, URL-encoded")],
        responses: { "200": ok("the kernel, parsed, with its modules", ref("Kernel")), "404": error("no such kernel"), "422": error("not a kernel version") },
      },
    },
    "/api/v1/kernels/compare": {
      get: {
        operationId: "compareKernelApis",
        summary: "What a kernel removed, changed and added in its exported symbols and headers, with the module versions that use them",
        description:
          `From two API snapshots (\`modcompat kernel-api import\`). Counts are complete; each list has at most \`limit\` items (default 500, at most ${MAX_COMPARE_ITEMS}), the items some module uses first.`,
        tags: ["kernels"],
        parameters: queryParams(compareQuerySchema, {
          from: "the older kernel, as uname -r prints it",
          to: "the newer kernel",
          limit: "items per list",
          used: "1: only items some module version's footprint uses",
        }),
        responses: { "200": ok("the API diff and its blast radius", ref("KernelCompare")), "404": error("no snapshot of one of the kernels"), "422": error("bad parameters") },
      },
    },
    "/api/v1/predict": {
      get: {
        operationId: "predict",
        summary: "Predicted verdict of a module version on a kernel, from its footprint and the kernel's API snapshot (never a build result)",
        tags: ["check"],
        parameters: queryParams(predictQuerySchema, { module: "module slug", version: "module version", kernel: "target kernel" }),
        responses: { "200": ok("the prediction", ref("Prediction")), "404": error("unknown module version"), "422": error("bad parameters") },
      },
    },
    "/api/v1/check": {
      get: {
        operationId: "checkGet",
        summary: "Pre-upgrade check: will these module versions work on a kernel?",
        description:
          `A verdict per module version (works, likely, broken, unsupported, unknown) with its evidence, and the newest kernel on which all of them pass. At most ${MAX_CHECK_MODULES} modules.`,
        tags: ["check"],
        parameters: queryParams(checkQuerySchema, {
          kernel: "the kernel about to be installed, as uname -r will print it",
          module: "name@version, repeated for several modules; a bare name means the newest known version",
          arch: "only results of this arch",
        }),
        responses: { "200": ok("the verdicts", ref("CheckResponse")), "422": error("missing or invalid kernel, module or arch") },
      },
      post: {
        operationId: "checkPost",
        summary: "Pre-upgrade check from `dkms status` output",
        description:
          "JSON with the GET fields and/or `dkmsStatus` (the raw output of `dkms status`, dkms 2.x or 3.x; for each module the newest version it lists is judged, as `dkms autoinstall` builds only that). " +
          "Or the raw `dkms status` text as text/plain, with `kernel` (and `arch`) in the query string. Lines that are not status lines are reported in `dkms.problems`.",
        tags: ["check"],
        // Optional here: only text/plain bodies carry them in the query string.
        parameters: queryParams(checkTextQuerySchema).map((p) => ({ ...p, required: false })),
        requestBody: {
          required: true,
          content: { ...json(ref("CheckRequest")), "text/plain": { schema: { type: "string", description: "the output of `dkms status`" } } },
        },
        responses: {
          "200": ok("the verdicts", ref("CheckResponse")),
          "400": error("malformed JSON"),
          "413": error("dkms status text too long"),
          "415": error("neither application/json nor text/plain"),
          "422": error("invalid fields"),
        },
      },
    },
    "/api/v1/badge/{module}/{target}.svg": {
      get: {
        operationId: "getBadge",
        summary: "SVG badge: a module version's verdict on a kernel or series",
        description:
          'E.g. "v4l2loopback 0.12.7 | 6.12: broken". A series is judged on its newest kernel with a result for the version. Unknown modules or versions get a grey badge with 404.',
        tags: ["check"],
        parameters: [
          pathParam("module", "module slug"),
          pathParam("target", "a kernel (6.12.107+deb12-amd64) or a series (6.12)"),
          ...queryParams(badgeQuerySchema, { version: "module version; default: the newest known" }),
        ],
        responses: {
          "200": {
            description: "the badge; cacheable for 5 minutes",
            headers: { "x-modcompat-kernel": { description: "the kernel the verdict is for", schema: { type: "string" } } },
            content: { "image/svg+xml": { schema: { type: "string" } } },
          },
          "404": { description: "unknown module or version (grey badge)", content: { "image/svg+xml": { schema: { type: "string" } } } },
          "422": { description: "not a kernel or series (grey badge)", content: { "image/svg+xml": { schema: { type: "string" } } } },
        },
      },
    },
    // Maintainers' view: queries from lib/schemas/regressions.ts, responses from lib/schemas/maintainers.ts.
    "/api/v1/regressions": {
      get: {
        operationId: "listRegressions",
        summary: "Regressions: a module version that passed on a kernel series and then failed",
        tags: ["regressions"],
        parameters: queryParams(regressionsQuerySchema),
        responses: { "200": ok("regressions, newest first", ref("RegressionList")), "422": error("invalid filter") },
      },
    },
    "/api/v1/regressions/{id}": {
      get: {
        operationId: "getRegression",
        summary: "One regression with its evidence",
        tags: ["regressions"],
        parameters: [pathParam("id", "regression id")],
        responses: { "200": ok("the regression", ref("Regression")), "404": error("no such regression"), "422": error("not an id") },
      },
    },
    "/api/v1/regressions.atom": {
      get: {
        operationId: "regressionsFeed",
        summary: "Atom feed of new and fixed regressions",
        tags: ["regressions"],
        parameters: queryParams(feedQuerySchema),
        responses: { "200": atom("the feed") },
      },
    },
    "/api/v1/upcoming": {
      get: {
        operationId: "listUpcoming",
        summary: "Early warning: per upcoming (rc / experimental) kernel, which modules that build on the last released series break there",
        tags: ["regressions"],
        responses: { "200": ok("upcoming kernels, newest first, at most 10", ref("UpcomingList")) },
      },
    },
    "/api/v1/upcoming.atom": {
      get: {
        operationId: "upcomingFeed",
        summary: "Atom feed of the modules that break on upcoming kernels",
        tags: ["regressions"],
        responses: { "200": atom("the feed") },
      },
    },
    "/api/v1/modules/{slug}/regressions.atom": {
      get: {
        operationId: "moduleRegressionsFeed",
        summary: "Atom feed of one module's regressions",
        tags: ["regressions"],
        parameters: [SLUG, ...queryParams(feedQuerySchema)],
        responses: { "200": atom("the feed"), "404": error("no such module") },
      },
    },
    "/api/v1/watch.atom": {
      get: {
        operationId: "watchFeed",
        summary: "Atom feed of one watched cell: tells when it turns green (or red)",
        tags: ["regressions"],
        parameters: queryParams(watchQuerySchema),
        responses: { "200": atom("the feed"), "404": error("no such module"), "422": error("invalid query") },
      },
    },
    "/api/v1/modules/{slug}/history": {
      get: {
        operationId: "getModuleHistory",
        summary: "A module's breakage history: incidents, timeline, pass rate, time to fix",
        tags: ["regressions"],
        parameters: [SLUG],
        responses: { "200": ok("the history", ref("ModuleHistory")), "404": error("no such module") },
      },
    },
    "/api/v1/signatures": {
      get: {
        operationId: "listSignatures",
        summary: "Kernel symbols behind regressions, across modules",
        tags: ["regressions"],
        responses: { "200": ok("signatures", ref("SignatureList")) },
      },
    },
    "/api/v1/signatures/{symbol}": {
      get: {
        operationId: "getSignature",
        summary: "The modules one kernel change broke, e.g. strlcpy",
        tags: ["regressions"],
        parameters: [pathParam("symbol", "a kernel symbol or header path, e.g. strlcpy or asm/unaligned.h")],
        responses: { "200": ok("the signature and its regressions", ref("Signature")), "404": error("unknown signature") },
      },
    },
    "/api/v1/openapi.json": {
      get: {
        operationId: "getOpenApi",
        summary: "This document",
        tags: ["meta"],
        responses: { "200": ok("OpenAPI 3.1", { type: "object" }) },
      },
    },
  };
}

let cached: OpenApiDocument | null = null;

export function openApiDocument(): OpenApiDocument {
  cached ??= {
    openapi: "3.1.0",
    info: {
      title: "ModCompat API",
      version: "1.0.0",
      description:
        "Compatibility of out-of-tree Linux kernel modules with kernel versions, from real DKMS build results. " +
        "Errors are always JSON `{ error: { code, message, issues? } }`. Fields are only ever added within v1.",
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "check", description: "Sysadmins: will my modules work on the next kernel?" },
      { name: "modules", description: "Modules, versions and the compatibility matrix" },
      { name: "kernels", description: "Kernels and what builds on them" },
      { name: "results", description: "Reporting build results (CI, runners)" },
      { name: "regressions", description: "Maintainers: regressions, history and feeds" },
      { name: "webhooks", description: "Signed event deliveries for chat and bots (admin token)" },
      { name: "meta", description: "This document" },
    ],
    paths: { ...paths(), ...interopPaths() },
    components: {
      schemas: { ...componentSchemas(REQUESTS, "input"), ...componentSchemas(RESPONSES, "output") },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "a token from `npx modcompat token create --name <name>`" },
      },
    },
  };
  return cached;
}
