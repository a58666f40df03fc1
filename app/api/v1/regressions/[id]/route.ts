import { route } from "@/lib/http/route";
import { incidentIdSchema } from "@/lib/schemas/regressions";
import { AppError } from "@/lib/services/errors";
import { getRegression } from "@/lib/services/regressions/get-regression";

export const dynamic = "force-dynamic";

/** One regression with its evidence: deciding results, log excerpts, neighbouring kernels. */
export const GET = route(async (_req, params) => {
  const id = incidentIdSchema.safeParse(params.id);
  if (!id.success) throw new AppError("validation_failed", `regression id must be a positive integer, got "${String(params.id)}"`);
  return getRegression(id.data);
});
