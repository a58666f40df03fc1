import { AppLink } from "@/app/components/AppLink";
import { signaturePath } from "@/lib/domain/signature";
import { findCellIncidents } from "@/lib/services/history/cell-incidents";

/** A failing cell's routes onward: its regression, the version that fixed it (as a check), its kernel change. */
export async function CellIncidentLinks({ slug, version, kernel }: { slug: string; version: string; kernel: string }) {
  const incidents = await findCellIncidents({ slug, version, kernel });
  const detail = { kernel };
  return (
    <>
      {incidents.length > 0 && (
        <ul className="mt-3 space-y-1 text-sm" data-testid="cell-incidents" aria-label="Regressions of this cell">
          {incidents.map((i) => (
            <li key={i.id}>
              <AppLink href={`/regressions/${i.id}`} className="font-medium text-emerald-800 underline">
                Regression #{i.id}
              </AppLink>{" "}
              ({i.status}, {i.arch}, since <span className="font-mono">{i.firstBadKernel}</span>)
              {i.fixedInVersion && (
                <>
                  {" "}· fixed in{" "}
                  <AppLink href={`/check?kernel=${encodeURIComponent(detail.kernel)}&module=${encodeURIComponent(`${slug}@${i.fixedInVersion}`)}`} className="font-mono underline">
                    {i.fixedInVersion}
                  </AppLink>
                </>
              )}
              {!i.fixedInVersion && i.fixedInKernel && (
                <>
                  {" "}· builds again on <span className="font-mono">{i.fixedInKernel}</span>
                </>
              )}
              {i.signature && (
                <>
                  {" "}· kernel change:{" "}
                  <AppLink href={signaturePath(i.signature)} className="font-mono underline">
                    {i.signature}
                  </AppLink>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
