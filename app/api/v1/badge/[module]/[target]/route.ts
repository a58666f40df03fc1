import { parseQuery, route } from "@/lib/http/route";
import { badgeQuerySchema } from "@/lib/schemas/check";
import { renderBadge } from "@/lib/http/badge";
import { getBadge } from "@/lib/services/check/get-badge";

export const dynamic = "force-dynamic";

/** GET /api/v1/badge/{module}/{kernel-or-series}.svg?version= — e.g. "v4l2loopback 0.12.7 | 6.12: broken". */
export const GET = route(async (req, params) => {
  const { version } = parseQuery(req, badgeQuerySchema);
  const target = String(params.target).replace(/\.svg$/, "");
  const facts = await getBadge({ module: String(params.module), target, version });
  const b = { ...renderBadge(facts), kernel: facts.kernel };
  return new Response(b.svg, {
    status: b.status,
    headers: {
      "content-type": "image/svg+xml; charset=utf-8",
      // Verdicts move only when results arrive; let READMEs and CDNs cache a while.
      "cache-control": b.status === 200 ? "public, max-age=300, s-maxage=300, stale-while-revalidate=86400" : "public, max-age=60",
      ...(b.kernel ? { "x-modcompat-kernel": b.kernel } : {}),
    },
  });
});
