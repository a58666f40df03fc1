import { db } from "../../db/client";

export interface CheckOptions {
  /** every known module version as name@version, modules by slug, versions newest first */
  moduleVersions: string[];
  /** known kernels, newest first */
  kernels: string[];
}

const MAX_OPTIONS = 2000;

/** Choices offered by the /check form: the module versions and kernels the server knows. */
export async function listCheckOptions(): Promise<CheckOptions> {
  const [versions, kernels] = await Promise.all([
    db().$queryRaw<{ ref: string }[]>`
      SELECT m.slug || '@' || mv.version AS ref FROM "ModuleVersion" mv JOIN "Module" m ON m.id = mv."moduleId"
      ORDER BY m.slug, mv."sortKey" DESC LIMIT ${MAX_OPTIONS}`,
    db().$queryRaw<{ version: string }[]>`SELECT version FROM "Kernel" ORDER BY "sortKey" DESC LIMIT ${MAX_OPTIONS}`,
  ]);
  return { moduleVersions: versions.map((v) => v.ref), kernels: kernels.map((k) => k.version) };
}
