import type { Metadata } from "next";
import { AppLink } from "@/app/components/AppLink";
import { signaturePath } from "@/lib/domain/signature";
import { REGRESSION_SORT_LABEL, REGRESSION_SORTS, regressionsQuerySchema } from "@/lib/schemas/regressions";
import { listRegressions } from "@/lib/services/regressions/list-regressions";
import { IncidentTable } from "@/app/components/history/IncidentTable";
import { first } from "@/lib/http/page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Regressions" };

type SearchParams = Record<string, string | string[] | undefined>;
const FILTERS = ["module", "status", "series", "signature"] as const;

export default async function RegressionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const raw = Object.fromEntries([...FILTERS, "sort", "limit", "offset"].map((k) => [k, first(sp[k])]));
  const parsed = regressionsQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : regressionsQuerySchema.parse({});
  const list = await listRegressions(query);
  const active = FILTERS.filter((k) => query[k]);
  const pageHref = (offset: number) => {
    const p = new URLSearchParams();
    for (const k of FILTERS) if (query[k]) p.set(k, String(query[k]));
    if (query.sort !== "newest") p.set("sort", query.sort);
    if (offset > 0) p.set("offset", String(offset));
    return `/regressions${p.size ? `?${p}` : ""}`;
  };
  const feed = query.module ? `/api/v1/modules/${encodeURIComponent(query.module)}/regressions.atom` : "/api/v1/regressions.atom";
  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Regressions</h1>
          <p className="max-w-3xl text-sm text-slate-600">
            A module version that built on a kernel and fails on a later kernel of the same distro line, with the versions it hit and the release (or kernel) that fixed it.
            Flaky combinations and environment errors are not counted.
          </p>
        </div>
        <nav className="flex gap-4 text-sm">
          <AppLink href="/signatures" className="text-emerald-800 underline">
            By kernel change
          </AppLink>
          <a href={feed} className="text-emerald-800 underline">
            Atom feed
          </a>
          <a href={`/api/v1/regressions${pageHref(0).slice("/regressions".length)}`} className="text-emerald-800 underline">
            JSON
          </a>
        </nav>
      </header>

      <form action="/regressions" className="flex flex-wrap items-end gap-3 rounded border border-slate-200 bg-white p-3 text-sm" aria-label="Filters">
        <Select name="module" label="Module" value={query.module} options={list.options.modules} />
        <Select name="status" label="Status" value={query.status} options={["open", "fixed"]} />
        <Select name="series" label="First bad series" value={query.series} options={list.options.series} />
        <Select name="signature" label="Kernel symbol" value={query.signature} options={list.options.signatures} />
        <label className="flex min-w-0 max-w-full flex-col gap-1">
          <span className="text-xs text-slate-600">Order</span>
          <select name="sort" defaultValue={query.sort} className="max-w-full rounded border border-slate-300 bg-white px-2 py-1" data-testid="regressions-sort">
            {REGRESSION_SORTS.map((s) => (
              <option key={s} value={s}>
                {s === "open-longest" ? "open longest" : s}
              </option>
            ))}
          </select>
        </label>
        <button className="rounded bg-slate-800 px-3 py-1.5 text-white">Filter</button>
        {active.length > 0 && (
          <AppLink href="/regressions" className="self-center text-slate-600 underline">
            clear
          </AppLink>
        )}
      </form>
      {!parsed.success && (
        <p role="alert" className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
          Ignored invalid filters: {parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}
        </p>
      )}

      <p className="text-sm text-slate-700">
        {list.total} regression{list.total === 1 ? "" : "s"}
        {active.length > 0 && ` matching ${active.map((k) => `${k} ${query[k]}`).join(", ")}`}: <span className="text-red-800">✗ {list.counts.open} open</span>,{" "}
        <span className="text-emerald-800">✓ {list.counts.fixed} fixed</span>. <span data-testid="regressions-order">Order: {REGRESSION_SORT_LABEL[query.sort]}.</span>
        {query.signature && (
          <>
            {" "}
            <AppLink href={signaturePath(query.signature)} className="underline">
              What else did <code>{query.signature}</code> break?
            </AppLink>
          </>
        )}
      </p>
      {list.items.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
          {active.length > 0 ? "No regression matches these filters." : "No regressions detected yet. They appear when a module version passes on a kernel and fails on a later one."}
        </p>
      ) : (
        <IncidentTable incidents={list.items} />
      )}
      {(query.offset > 0 || query.offset + list.items.length < list.total) && (
        <nav className="flex gap-4 text-sm">
          {query.offset > 0 && (
            <AppLink href={pageHref(Math.max(0, query.offset - query.limit))} className="underline">
              ← newer
            </AppLink>
          )}
          {query.offset + list.items.length < list.total && (
            <AppLink href={pageHref(query.offset + query.limit)} className="underline">
              older →
            </AppLink>
          )}
        </nav>
      )}
    </div>
  );
}

function Select({ name, label, value, options }: { name: string; label: string; value?: string; options: string[] }) {
  return (
    <label className="flex min-w-0 max-w-full flex-col gap-1">
      <span className="text-xs text-slate-600">{label}</span>
      <select name={name} defaultValue={value ?? ""} className="max-w-full rounded border border-slate-300 bg-white px-2 py-1">
        <option value="">any</option>
        {value && !options.includes(value) && <option value={value}>{value}</option>}
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}
