import { provenanceSchema } from "@/lib/schemas/provenance";
import { listDataSources } from "@/lib/services/data-sources";
import { AppLink } from "./AppLink";
import { ProvenanceLists } from "./ProvenanceLists";

const day = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString().slice(0, 10) : "an unknown date");

/** The anchor of a source on /sources. */
export const sourceAnchor = (source: string) => `source-${source.replace(/[^A-Za-z0-9_.-]/g, "-")}`;

/**
 * Says where the shown results come from, so nobody mistakes a demo or synthetic data for more. On
 * the landing and module pages (`lists` false) each source's package lists are a count and a link
 * to /sources, which shows them (`lists`): they were about 250 list items, half of a module page's
 * HTML, and a quarter of its server CPU (issue 11).
 */
export async function DataSourceNote({ lists = false, empty = null }: { lists?: boolean; empty?: React.ReactNode }) {
  const { sources, total } = await listDataSources();
  if (sources.length === 0) return empty;
  return (
    <aside className="space-y-1 rounded border border-slate-200 bg-white p-3 text-xs text-slate-600" aria-label="Data sources">
      {sources.map((s) => {
        const meta = provenanceSchema.safeParse(s.meta ?? {});
        const p = meta.success ? meta.data : {};
        const description = p.demo?.description ?? p.description;
        const packages = (p.modules ?? []).filter((m) => m.debianPackage);
        const headers = (p.kernels ?? []).filter((k) => k.headerPackage);
        return (
          <div key={s.source} id={lists ? sourceAnchor(s.source) : undefined}>
            <span className="font-medium text-slate-800">Data: </span>
            <span className={p.synthetic ? "font-semibold text-amber-800" : "font-medium text-slate-800"}>
              {p.synthetic ? "SYNTHETIC demo (made-up results, not real builds)" : s.source}
            </span>{" "}
            — {s.results.toLocaleString("en")} results in {s.runs} run{s.runs === 1 ? "" : "s"}, produced {day(p.date ?? s.firstAt ?? s.lastAt)}
            {/* One sentence: a description ending in its own full stop gets no second one. */}
            {`${description ? `. ${description}` : ""}${p.compilers?.length ? `; ${p.compilers.join(", ")}` : ""}${p.dkms ? `, ${p.dkms}` : ""}${p.distro ? ` on ${p.distro}` : ""}`.replace(/\.?$/, ".")}
            {(packages.length > 0 || headers.length > 0) &&
              (lists ? (
                <details className="mt-1" open>
                  <summary className="cursor-pointer text-emerald-800">Provenance: {packages.length} module packages, {headers.length} kernel header packages</summary>
                  <ProvenanceLists
                    packages={packages.map((m) => [`${m.debianPackage} ${m.debianVersion ?? ""}`, m.debianOrigin ?? ""] as const)}
                    headers={headers.map((k) => `${k.headerPackage} ${k.headerVersion ?? ""}`)}
                  />
                </details>
              ) : (
                <p className="mt-1">
                  <AppLink href={`/sources#${sourceAnchor(s.source)}`} className="text-emerald-800 underline">
                    {`Provenance: ${packages.length} module packages, ${headers.length} kernel header packages`}
                  </AppLink>
                </p>
              ))}
          </div>
        );
      })}
      {total > sources.length && <p>… and {total - sources.length} smaller sources.</p>}
    </aside>
  );
}
