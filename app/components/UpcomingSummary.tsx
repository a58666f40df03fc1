import { modulePage } from "@/lib/links";
import { AppLink } from "@/app/components/AppLink";
import { formatSignature, signaturePath } from "@/lib/domain/signature";
import { listUpcoming } from "@/lib/services/upcoming/list-upcoming";

const SHOWN = 6;

/** The landing page's early warning: the newest upcoming kernel's headline and its first breaks. */
export async function UpcomingSummary() {
  const [r] = await listUpcoming({ limit: 1 });
  if (!r) return null;
  const breaks = r.modules.filter((m) => m.outcome === "breaks");
  return (
    <section className="rounded-lg border border-violet-200 bg-violet-50 p-4" aria-label="Upcoming kernels" data-testid="upcoming-summary">
      <p className="text-base">
        <span className="mr-1 rounded bg-violet-700 px-1.5 py-0.5 text-xs font-medium text-white">early warning</span>
        {r.headline}.{" "}
        <AppLink href="/upcoming" className="text-sm text-violet-900 underline">
          All upcoming kernels →
        </AppLink>
      </p>
      {breaks.length > 0 && (
        <ul className="mt-2 space-y-0.5 text-sm">
          {breaks.slice(0, SHOWN).map((m) => (
            <li key={m.module}>
              <AppLink href={modulePage(m.module)} className="font-medium underline">
                {m.module}
              </AppLink>{" "}
              {m.version}:{" "}
              {m.signature ? (
                <AppLink href={signaturePath(m.signature.symbol)} className="font-mono text-xs underline">
                  {formatSignature(m.signature)}
                </AppLink>
              ) : (
                <span className="font-mono text-xs">{m.errorLine ?? "no error line reported"}</span>
              )}
            </li>
          ))}
          {breaks.length > SHOWN && <li className="text-slate-600">and {breaks.length - SHOWN} more</li>}
        </ul>
      )}
    </section>
  );
}
