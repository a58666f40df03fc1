import { AppLink } from "@/app/components/AppLink";
import { getApiChangeHeadline } from "@/lib/services/kernel-api/get-api-change-headline";

const SHOWN = 8;

/** The landing page's API headline: what the newest kernel stops exporting, and which modules use it. */
export async function ApiChangeHeadline() {
  const h = await getApiChangeHeadline().catch((e: unknown) => {
    console.error("[modcompat] API headline:", e instanceof Error ? e.message : e);
    return null;
  });
  if (!h) return null;
  const compare = `/kernels/compare?from=${encodeURIComponent(h.from)}&to=${encodeURIComponent(h.to)}`;
  return (
    <section className="rounded-lg border border-sky-200 bg-sky-50 p-4" aria-label="Kernel API changes" data-testid="api-change-headline">
      <p className="text-base">
        <span className="mr-1 rounded bg-sky-700 px-1.5 py-0.5 text-xs font-medium text-white">API</span>
        {h.text}{" "}
        <span className="text-sm text-slate-600">(since {h.from})</span>.{" "}
        <AppLink href={compare} className="text-sm text-sky-900 underline">
          Compare →
        </AppLink>
      </p>
      {h.modules.length > 0 && (
        <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-0.5 text-sm">
          {h.modules.slice(0, SHOWN).map((m) => (
            <li key={m.module}>
              <AppLink href={`${compare}&used=1#affected`} className="font-medium underline" title={`uses ${m.symbols.join(", ")}`}>
                {m.module} {m.versions.join(", ")}
              </AppLink>
              <span className="ml-1 font-mono text-xs text-slate-600">{m.symbols.slice(0, 3).join(", ")}{m.symbols.length > 3 ? ", …" : ""}</span>
            </li>
          ))}
          {h.modules.length > SHOWN && <li className="text-slate-600">and {h.modules.length - SHOWN} more</li>}
        </ul>
      )}
    </section>
  );
}
