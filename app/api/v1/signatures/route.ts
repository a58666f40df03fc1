import { route } from "@/lib/http/route";
import { listSignatures } from "@/lib/services/regressions/list-signatures";

export const dynamic = "force-dynamic";

/** Kernel symbols behind regressions, grouped across modules. */
export const GET = route(async () => listSignatures());
