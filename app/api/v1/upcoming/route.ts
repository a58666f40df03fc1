import { route } from "@/lib/http/route";
import { listUpcoming } from "@/lib/services/upcoming/list-upcoming";

export const dynamic = "force-dynamic";

/** The early-warning report of every upcoming kernel with results, newest first (at most 10). */
export const GET = route(async () => ({ kernels: await listUpcoming() }));
