import { AppLink } from "@/app/components/AppLink";
import type { MatrixPageView } from "@/lib/services/get-matrix-page";
import { isGenericLine } from "@/lib/domain/kernel-version";
import { first, hrefWith, type SearchParams } from "./url";

/** Plain GET form: the filters live in the URL and work without JavaScript. */
export function MatrixFilters({ base, view, current }: { base: string; view: MatrixPageView; current: SearchParams }) {
  const select = (name: string, label: string, options: string[], all: string) => (
    <label className="flex min-w-0 max-w-full flex-col text-xs text-slate-600">
      {label}
      <select name={name} defaultValue={first(current[name]) ?? ""} className="mt-0.5 max-w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900">
        <option value="">{all}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
  const allSeries = view.options.series;
  // The generic flavour of each distro by default (isGenericFlavour); rt, cloud… on demand.
  const allFlavours = view.query.flavours === "all";
  const special = view.options.flavours.filter((f) => !isGenericLine(`any/${f}`));
  return (
    <form action={base} className="flex flex-wrap items-end gap-3 rounded border border-slate-200 bg-white p-3" aria-label="Matrix filters">
      {select("arch", "Architecture", view.options.arches, "all")}
      {select("distro", "Kernel distro", view.options.distros, "all")}
      {select("flavour", "Kernel flavour", view.options.flavours, "all")}
      {select("from", "Series from", allSeries, "oldest")}
      {select("to", "Series to", allSeries, "newest")}
      {first(current.expand) && <input type="hidden" name="expand" value={first(current.expand)} />}
      {allFlavours && <input type="hidden" name="flavours" value="all" />}
      <button className="rounded bg-slate-800 px-3 py-1.5 text-sm text-white">Apply</button>
      <AppLink href={base} className="py-1.5 text-sm text-slate-600 underline">
        Reset
      </AppLink>
      <span className="ml-auto flex flex-wrap gap-3 py-1.5 text-sm">
        {!first(current.flavour) && special.length > 0 && (
          <AppLink href={hrefWith(base, current, { flavours: allFlavours ? null : "all", cell: null })} className="text-emerald-800 underline" data-testid="flavours-toggle">
            {allFlavours ? "Generic flavours only" : `Show ${special.join(", ")} kernels too`}
          </AppLink>
        )}
        <AppLink href={hrefWith(base, current, { expand: view.series.map((s) => s.series), cell: null })} className="text-emerald-800 underline">
          Expand all series
        </AppLink>
        <AppLink href={hrefWith(base, current, { expand: null, cell: null })} className="text-emerald-800 underline">
          Collapse all
        </AppLink>
      </span>
    </form>
  );
}
