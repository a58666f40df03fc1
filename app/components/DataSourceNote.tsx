import { listDataSources } from "@/lib/services/data-sources";

const fmt = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "unknown date");

/** Says where the shown results come from, so nobody mistakes a demo or synthetic data for more. */
export async function DataSourceNote() {
  const sources = await listDataSources();
  if (sources.length === 0) return null;
  return (
    <aside className="rounded border border-slate-200 bg-white p-3 text-xs text-slate-600" aria-label="Data sources">
      <span className="font-medium text-slate-800">Data: </span>
      {sources.map((s, i) => {
        const meta = s.meta ?? {};
        const synthetic = meta.synthetic === true;
        const description = typeof meta.description === "string" ? meta.description : null;
        return (
          <span key={s.source}>
            {i > 0 && "; "}
            <span className={synthetic ? "font-semibold text-amber-800" : undefined}>
              {synthetic ? "SYNTHETIC demo (made-up results, not real builds)" : s.source}
            </span>{" "}
            — {s.results.toLocaleString("en")} results in {s.runs} run{s.runs === 1 ? "" : "s"}, produced {fmt(s.firstAt ?? s.lastAt)}
            {description ? ` — ${description}` : ""}
          </span>
        );
      })}
    </aside>
  );
}
