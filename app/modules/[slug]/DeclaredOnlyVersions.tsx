import type { MatrixVersion } from "@/lib/services/get-matrix";
import { DatedText } from "@/app/components/DatedText";
import { TableScroll } from "@/app/components/TableScroll";

/** Versions known without any build result: their declared kernel range and release date, labelled as declared. */
export function DeclaredOnlyVersions({ versions }: { versions: MatrixVersion[] }) {
  return (
    <details className="rounded border border-slate-200 bg-white p-3 text-sm" data-testid="declared-only">
      <summary className="cursor-pointer">
        {versions.length} more version{versions.length === 1 ? "" : "s"} known only by the kernel range {versions.length === 1 ? "it declares" : "they declare"}{" "}
        (never built here)
      </summary>
      <p className="mt-1 text-xs text-slate-600">
        The pre-upgrade check answers for these from the declared range alone, and says so (&ldquo;declared, never built here&rdquo;).
      </p>
      <TableScroll label="Versions with a declared range only"><table className="mt-2 text-xs">
        <thead className="text-left text-slate-500">
          <tr>
            <th className="pr-4">Version</th>
            <th className="pr-4">Declares</th>
            <th>Released</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id}>
              <td className="pr-4 font-mono">{v.version}</td>
              <td className="pr-4 font-mono">{v.declaredKernelMin || v.declaredKernelMax ? `${v.declaredKernelMin ?? "…"}–${v.declaredKernelMax ?? "…"}` : "no range"}</td>
              <td>
                <DatedText at={v.releasedAt} source={v.releasedAtSource} />
              </td>
            </tr>
          ))}
        </tbody>
      </table></TableScroll>
    </details>
  );
}
