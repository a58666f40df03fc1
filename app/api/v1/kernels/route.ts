import { route } from "@/lib/http/route";
import { listKernels } from "@/lib/services/get-kernel";

export const dynamic = "force-dynamic";

export const GET = route(async () => ({ kernels: await listKernels() }));
