import Link from "next/link";
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
              <Link href={`/regressions/${i.id}`} className="font-medium text-emerald-800 underline">
                Regression #{i.id}
              </Link>{" "}
              ({i.status}, {i.arch}, since <span className="font-mono">{i.firstBadKernel}</span>)
              {i.fixedInVersion && (
                <>
                  {" "}· fixed in{" "}
                  <Link href={`/check?kernel=${encodeURIComponent(detail.kernel)}&module=${encodeURIComponent(`${slug}@${i.fixedInVersion}`)}`} className="font-mono underline">
                    {i.fixedInVersion}
                  </Link>
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
                  <Link href={signaturePath(i.signature)} className="font-mono underline">
                    {i.signature}
                  </Link>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
