import { z } from "zod";
import { predictionOutSchema } from "./kernel-api";
import { DKMS_STATES } from "../domain/dkms-status";
import { DISTROS } from "../domain/kernel-version";
import { STATUSES } from "../domain/status";
import { CHECK_OUTCOMES, EVIDENCE_RELATIONS, VERDICT_BASES, VERDICTS } from "../domain/verdict";
import { archString, kernelVersionString, moduleVersionString } from "./ingest";

/**
 * The pre-upgrade check contract (GET/POST /api/v1/check), shared by the route, the page, the CLI
 * and the tests, and published in the OpenAPI document. Stable: fields are only ever added.
 */

export const MAX_CHECK_MODULES = 200;
export const MAX_DKMS_STATUS_CHARS = 256 * 1024;

/** `zfs@2.2.4`, or `zfs` for the newest version the server knows. Names are matched case-insensitively. */
export const MODULE_REF_RE = /^(?<module>[A-Za-z0-9][A-Za-z0-9._+-]{0,99})(?:@(?<version>[\x21-\x7e]{1,100}))?$/;

export const moduleRefString = z
  .string()
  .trim()
  .regex(MODULE_REF_RE, "must be name@version (e.g. zfs@2.2.4) or a bare module name for its newest known version")
  .superRefine((value, ctx) => {
    const version = MODULE_REF_RE.exec(value)?.groups?.version;
    if (version !== undefined) {
      const r = moduleVersionString.safeParse(version);
      if (!r.success) ctx.addIssue({ code: "custom", message: r.error.issues[0].message });
    }
  });

const oneOrMany = z.union([moduleRefString, z.array(moduleRefString).min(1).max(MAX_CHECK_MODULES)], {
  error: (iss) => (iss.input === undefined ? "give at least one module as name@version, e.g. module=zfs@2.2.4" : undefined),
});

/** GET /api/v1/check?kernel=…&module=zfs@2.2.4&module=…&arch=x86_64 */
export const checkQuerySchema = z.object({
  kernel: kernelVersionString,
  module: oneOrMany,
  arch: archString.optional(),
});

/** POST /api/v1/check with a text/plain `dkms status` body: the kernel (and arch) come in the query string. */
export const checkTextQuerySchema = z.object({
  kernel: kernelVersionString.describe("required with text/plain bodies"),
  arch: archString.optional().describe("with text/plain bodies"),
});

/** POST /api/v1/check (application/json): the GET fields, and/or the raw output of `dkms status`. */
export const checkBodySchema = z
  .object({
    kernel: kernelVersionString.describe("the kernel about to be installed, as `uname -r` will print it"),
    module: oneOrMany.optional().describe("name@version, one or many"),
    dkmsStatus: z.string().max(MAX_DKMS_STATUS_CHARS).optional().describe("the output of `dkms status`, dkms 2.x or 3.x"),
    arch: archString.optional().describe("only results of this arch; defaults to the arch of the dkms status lines"),
  })
  .strict()
  .refine((b) => b.module !== undefined || b.dkmsStatus !== undefined, {
    message: "give the modules to check: `module` (name@version) and/or `dkmsStatus`",
    path: ["module"],
  });
export type CheckBody = z.infer<typeof checkBodySchema>;

/** What the service takes, whichever way the request came. */
export interface CheckInput {
  kernel: string;
  modules?: string[];
  dkmsStatus?: string;
  arch?: string;
}

// ---------------------------------------------------------------------------------------------
// Response

const isoDateTime = z.iso.datetime({ offset: true });
const archStatus = z.object({ arch: z.string(), status: z.enum(STATUSES) });

export const checkKernelSchema = z.object({
  version: z.string().describe("the kernel as given, trimmed"),
  known: z.boolean().describe("whether the server holds results for this exact kernel string"),
  series: z.string(),
  base: z.string().describe("upstream part, e.g. 6.12.107"),
  distro: z.enum(DISTROS),
  distroRelease: z.string().nullable(),
  flavour: z.string().nullable(),
  prerelease: z.boolean().describe("a release candidate or experimental kernel: an upcoming kernel, its results are early warnings"),
  upstreamVersion: z.string().nullable().describe("the Linux version the kernel carries (6.1.0-56-amd64: 6.1.192), when known"),
  releasedAt: isoDateTime.nullable().describe("the distro's upload date of the kernel's package, when known"),
  releasedAtSource: z.string().nullable().describe("where releasedAt comes from"),
});

export const evidenceSchema = z.object({
  relation: z.enum(EVIDENCE_RELATIONS).describe(
    "exact: this kernel; same-revision: another flavour of the same upstream version and distro revision; " +
      "series-neighbour: the nearest kernel of the same series; first-fail / last-pass: where a run of failures began",
  ),
  version: z.string().describe("module version the result is for"),
  kernel: z.string(),
  status: z.enum(STATUSES).describe("arches folded: the worst meaningful status wins"),
  arches: z.array(archStatus),
  errorLine: z.string().nullable(),
  logUrl: z.string().nullable(),
  lastResultAt: isoDateTime,
  kernelUpstream: z.string().nullable().describe("the Linux version that kernel carries (6.1.0-56-amd64: 6.1.192), when known"),
  links: z.object({ page: z.string(), api: z.string().describe("every raw result behind this cell") }),
});

export const moduleVerdictSchema = z.object({
  module: z.string().describe("module slug"),
  name: z.string().nullable().describe("display name; null when the server does not know the module"),
  version: z.string().nullable().describe("the version judged; null when none could be chosen"),
  versionSource: z.enum(["request", "dkms", "newest"]).describe("where the version came from; newest = the newest the server knows"),
  found: z.boolean().describe("whether the server knows this module version"),
  verdict: z.enum(VERDICTS),
  basis: z
    .enum(VERDICT_BASES)
    .describe("observed: build results decide; declared: only the module's declared kernel range does (never built here); none: no evidence"),
  reason: z.string(),
  errorLine: z.string().nullable(),
  since: z.object({ kernel: z.string(), lastPass: z.string().nullable() }).nullable(),
  fixedIn: z.object({ version: z.string(), verdict: z.enum(["works", "likely"]) }).nullable(),
  newestAccepting: z.object({ version: z.string(), verdict: z.enum(VERDICTS) }).nullable(),
  declaredRange: z.object({ min: z.string().nullable(), max: z.string().nullable() }).nullable(),
  evidence: z.array(evidenceSchema),
  dkms: z
    .object({ states: z.array(z.enum(DKMS_STATES)), lines: z.array(z.int()), otherVersions: z.array(z.string()) })
    .nullable()
    .describe("for modules read from dkms status: their lines and states"),
  links: z.object({ page: z.string().nullable(), api: z.string().nullable() }),
  prediction: predictionOutSchema
    .nullable()
    .optional()
    .describe("for an unknown verdict: what the module version's footprint and the kernel's API snapshot predict; a prediction, never a verdict"),
});

export const verdictCountsSchema = z.record(z.enum(VERDICTS), z.int());

export const checkResponseSchema = z.object({
  kernel: checkKernelSchema,
  arch: z.string().nullable(),
  outcome: z
    .enum(CHECK_OUTCOMES)
    .describe("blocked: some module is broken or unsupported; uncertain: some is unknown; ok: all works or likely"),
  counts: verdictCountsSchema,
  modules: z.array(moduleVerdictSchema),
  newestSafeKernel: z.object({
    overall: z.string().nullable().describe("newest kernel on which every found module version passes"),
    inLine: z.string().nullable().describe("the same, among kernels of the target kernel's line (same distro and flavour)"),
    line: z.string().describe('the target kernel\'s line, e.g. "debian amd64"'),
    considered: z.array(z.string()).describe("name@version of the module versions taken into account"),
  }),
  dkms: z
    .object({
      entries: z.int(),
      problems: z.array(z.object({ line: z.int(), text: z.string(), reason: z.string() })),
    })
    .nullable(),
  links: z.object({
    self: z.string().describe("the /check page for this query"),
    api: z.string(),
    recheck: z.string().nullable().optional().describe("the /check page with every module at its recommended version (upgrades)"),
  }),
  upgrades: z
    .array(
      z.object({
        module: z.string(),
        version: z.string(),
        kind: z.enum(["fixedIn", "newestAccepting"]),
        where: z
          .object({ text: z.string(), suite: z.string().nullable(), component: z.string().nullable(), install: z.string().nullable() })
          .nullable()
          .describe("where to get it: the distro package a run's provenance recorded (run.meta.modules[].debianPackage/debianVersion/debianOrigin)"),
      }),
    )
    .optional()
    .describe("per module the version the answer recommends (fixed in, or newest accepting the kernel) and where to get it"),
});
export type CheckResponse = z.infer<typeof checkResponseSchema>;
export type ModuleVerdictOut = z.infer<typeof moduleVerdictSchema>;
export type EvidenceOut = z.infer<typeof evidenceSchema>;

/** GET /api/v1/badge/{module}/{target}.svg?version= */
export const badgeQuerySchema = z.object({ version: moduleVersionString.optional() });
