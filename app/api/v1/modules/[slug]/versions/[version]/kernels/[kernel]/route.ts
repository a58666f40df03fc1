import { route } from "@/lib/http/route";
import { getCell } from "@/lib/services/get-cell";

export const dynamic = "force-dynamic";

/** One cell of the matrix with every raw result behind it. */
export const GET = route(async (_req, p) => getCell({ slug: String(p.slug), version: String(p.version), kernel: String(p.kernel) }));
