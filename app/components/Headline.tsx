import { modulesThatBuild } from "@/lib/domain/headline";
import { kernelPage, modulePage } from "@/lib/links";
import { AppLink } from "@/app/components/AppLink";
import { getHeadline } from "@/lib/services/get-headline";

export async function Headline() {
  const h = await getHeadline();
  if (!h || h.buildOnFrom.length === 0) return null;
  const pct = Math.round((100 * h.stillBuild.length) / h.buildOnFrom.length);
  const k = (v: string) => (
    <AppLink href={kernelPage(v)} className="font-mono underline decoration-slate-300 underline-offset-2">
      {v}
    </AppLink>
  );
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4" aria-label="Headline">
      <p className="text-lg">
        Of the <strong>{h.buildOnFrom.length}</strong> {modulesThatBuild(h.buildOnFrom.length).noun} on {k(h.from)}, <strong>{h.stillBuild.length}</strong> ({pct}%){" "}
        {modulesThatBuild(h.buildOnFrom.length).verb} on {k(h.to)}.
      </p>
      {h.broken.length > 0 && (
        <p className="mt-1 text-sm text-red-800">
          ✗ Broken on {h.to}:{" "}
          {h.broken.map((m, i) => (
            <span key={m}>
              {i > 0 && ", "}
              <AppLink href={modulePage(m)} className="underline">
                {m}
              </AppLink>
            </span>
          ))}
        </p>
      )}
      {h.undetermined.length > 0 && (
        <p className="mt-1 text-sm text-slate-600">No verdict on {h.to} (environment errors or declined): {h.undetermined.join(", ")}</p>
      )}
    </section>
  );
}
