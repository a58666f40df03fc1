import { provenanceSchema } from "@/lib/schemas/provenance";
import { listDataSources } from "@/lib/services/data-sources";
import { ProvenanceLists } from "./ProvenanceLists";

const day = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString().slice(0, 10) : "an unknown date");

/** Says where the shown results come from, so nobody mistakes a demo or synthetic data for more. */
export async function DataSourceNote() {
  const { sources, total } = await listDataSources();
  if (sources.length === 0) return null;
  return (
    <aside className="space-y-1 rounded border border-slate-200 bg-white p-3 text-xs text-slate-600" aria-label="Data sources">
      {sources.map((s) => {
        const meta = provenanceSchema.safeParse(s.meta ?? {});
        const p = meta.success ? meta.data : {};
        const description = p.demo?.description ?? p.description;
        const packages = (p.modules ?? []).filter((m) => m.debianPackage);
        const headers = (p.kernels ?? []).filter((k) => k.headerPackage);
        return (
          <div key={s.source}>
            <span className="font-medium text-slate-800">Data: </span>
            <span className={p.synthetic ? "font-semibold text-amber-800" : "font-medium text-slate-800"}>
              {p.synthetic ? "SYNTHETIC demo (made-up results, not real builds)" : s.source}
            </span>{" "}
            — {s.results.toLocaleString("en")} results in {s.runs} run{s.runs === 1 ? "" : "s"}, produced {day(p.date ?? s.firstAt ?? s.lastAt)}
            {/* One sentence: a description ending in its own full stop gets no second one. */}
            {`${description ? `. ${description}` : ""}${p.compilers?.length ? `; ${p.compilers.join(", ")}` : ""}${p.dkms ? `, ${p.dkms}` : ""}${p.distro ? ` on ${p.distro}` : ""}`.replace(/\.?$/, ".")}
            {(packages.length > 0 || headers.length > 0) && (
              <details className="mt-1">
                <summary className="cursor-pointer text-emerald-800">Provenance: {packages.length} module packages, {headers.length} kernel header packages</summary>
                <ProvenanceLists
                  packages={packages.map((m) => [`${m.debianPackage} ${m.debianVersion ?? ""}`, m.debianOrigin ?? ""] as const)}
                  headers={headers.map((k) => `${k.headerPackage} ${k.headerVersion ?? ""}`)}
                />
              </details>
            )}
          </div>
        );
      })}
      {total > sources.length && <p>… and {total - sources.length} smaller sources.</p>}
    </aside>
  );
}
