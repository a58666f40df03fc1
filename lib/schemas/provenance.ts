import { z } from "zod";

/**
 * The provenance fields the runner (lib/runner) and the importers write into run.meta; every one
 * optional, so any other meta still validates (run.meta itself is any JSON: lib/schemas/ingest.ts).
 * Pages read run.meta through this schema only.
 */
export const provenanceSchema = z.object({
  synthetic: z.boolean().optional(),
  description: z.string().optional(),
  date: z.string().optional(),
  distro: z.string().optional(),
  dkms: z.string().optional(),
  compilers: z.array(z.string()).optional(),
  demo: z.object({ description: z.string().optional() }).partial().optional(),
  modules: z.array(z.object({ debianPackage: z.string().optional(), debianVersion: z.string().optional(), debianOrigin: z.string().optional() }).partial()).optional(),
  kernels: z.array(z.object({ headerPackage: z.string().optional(), headerVersion: z.string().optional() }).partial()).optional(),
});
export type Provenance = z.infer<typeof provenanceSchema>;
