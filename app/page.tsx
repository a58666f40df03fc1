import { modulePage } from "@/lib/links";
import { AppLink } from "@/app/components/AppLink";
import { upstreamNote } from "@/lib/domain/kernel-release";
import { countModules, listModuleRows, MODULE_PAGE_SIZE } from "@/lib/services/list-modules";
import { ApiChangeHeadline } from "./components/ApiChangeHeadline";
import { DataSourceNote } from "./components/DataSourceNote";
import { Headline } from "./components/Headline";
import { SupportBadge } from "./components/SupportBadge";
import { ModuleStateCell } from "./components/ModuleStateCell";
import { UpcomingSummary } from "./components/UpcomingSummary";
import { TableScroll } from "@/app/components/TableScroll";

export const dynamic = "force-dynamic";

export default async function Home({ searchParams }: { searchParams: Promise<{ q?: string; page?: string }> }) {
  const { q, page: pageParam } = await searchParams;
  const total = await countModules(q);
  const pages = Math.max(1, Math.ceil(total / MODULE_PAGE_SIZE));
  const asked = pageParam === undefined ? 1 : /^\d{1,6}$/.test(pageParam) ? Number(pageParam) : NaN;
  const badPage = !(asked >= 1 && asked <= pages);
  const page = badPage ? 1 : asked;
  const first = (page - 1) * MODULE_PAGE_SIZE;
  const modules = await listModuleRows({ q, limit: MODULE_PAGE_SIZE, offset: first });
  const pageHref = (n: number) => `/?${new URLSearchParams({ ...(q ? { q } : {}), ...(n > 1 ? { page: String(n) } : {}) }).toString()}`;
  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Out-of-tree kernel modules</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Which versions of which modules build on which kernels, from real build results. Check before you upgrade a kernel;
          see when a module broke and when it was fixed.
        </p>
      </div>
      <Headline />
      <UpcomingSummary />
      <ApiChangeHeadline />
      <form className="flex flex-wrap gap-2" role="search" action="/">
        <label htmlFor="q" className="sr-only">
          Search modules
        </label>
        <input
          id="q"
          name="q"
          defaultValue={q ?? ""}
          placeholder="Search modules (e.g. zfs, v4l2loopback)"
          className="w-full max-w-80 min-w-0 flex-1 rounded border border-slate-300 bg-white px-3 py-1.5 text-sm"
        />
        <button className="rounded bg-slate-800 px-3 py-1.5 text-sm text-white">Search</button>
        {q && (
          <AppLink href="/" className="self-center text-sm text-slate-600 underline">
            clear
          </AppLink>
        )}
      </form>
      {badPage && pageParam !== undefined && (
        <p role="status" className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
          There is no page “{pageParam}” of this list (pages 1–{pages}); showing page 1.
        </p>
      )}
      {total > MODULE_PAGE_SIZE && <ModulePager first={first} shown={modules.length} total={total} page={page} pages={pages} href={pageHref} />}
      {modules.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
          {q ? (
            <>No module matches “{q}”.</>
          ) : (
            <>No results stored yet. Post build results to <code>POST /api/v1/results</code> or run <code>npx modcompat build</code>.</>
          )}
        </p>
      ) : (
        <TableScroll label="Modules"><table className="w-full border-collapse rounded border border-slate-200 bg-white text-sm">
          <thead className="bg-slate-100 text-left text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th className="px-3 py-2">Module</th>
              <th className="px-3 py-2">Newest version</th>
              <th className="px-3 py-2">Last kernel it builds on</th>
              <th className="px-3 py-2">Kept up?</th>
              <th className="px-3 py-2" title="the newest version on the newest kernel of each series (generic flavours; rc kernels left out)">
                Newest version, by series
              </th>
              <th className="px-3 py-2 text-right">Versions</th>
            </tr>
          </thead>
          <tbody>
            {modules.map((m) => (
              <tr key={m.slug} className="border-t border-slate-100 hover:bg-slate-50">
                <td className="px-3 py-2">
                  <AppLink href={modulePage(m.slug)} className="font-medium text-emerald-800 underline-offset-2 hover:underline">
                    {m.name}
                  </AppLink>
                  {m.description && <div className="line-clamp-1 text-xs text-slate-500">{m.description}</div>}
                </td>
                <td className="px-3 py-2 font-mono text-xs">{m.newestVersion ?? "—"}</td>
                <td className="px-3 py-2 font-mono text-xs" title={m.support.sentence}>
                  {m.support.lastKernel ? (
                    <>
                      {m.support.lastKernel}
                      {upstreamNote(m.support.lastKernel, m.support.lastKernelUpstream) && (
                        <span className="font-sans text-slate-500">{` · Linux ${m.support.lastKernelUpstream}`}</span>
                      )}
                      {m.support.version !== m.newestVersion && <div className="font-sans text-[11px] text-slate-500">{`with ${m.support.version}, the newest version built`}</div>}
                    </>
                  ) : (
                    <span className="font-sans text-slate-500">
                      {m.support.state === "untested" ? "no results yet" : `none built here: older than ${m.support.builtSeries?.oldest}`}
                    </span>
                  )}
                </td>
                <td className="px-3 py-2 text-xs" data-support={m.support.state}>
                  <SupportBadge state={m.support.state} title={m.support.sentence} />
                </td>
                <td className="px-3 py-2 text-xs" data-module-state={m.newest.state}>
                  <ModuleStateCell state={m.newest} />
                </td>
                <td className="px-3 py-2 text-right">{m.versionCount}</td>
              </tr>
            ))}
          </tbody>
        </table></TableScroll>
      )}
      {total > MODULE_PAGE_SIZE && modules.length > 20 && <ModulePager first={first} shown={modules.length} total={total} page={page} pages={pages} href={pageHref} />}
      <DataSourceNote />
    </div>
  );
}

/** "Modules 101–200 of 382 (alphabetical)" with links to the pages before and after. */
function ModulePager(props: { first: number; shown: number; total: number; page: number; pages: number; href: (page: number) => string }) {
  const { first, shown, total, page, pages, href } = props;
  return (
    <nav aria-label="Module list pages" className="flex flex-wrap items-center gap-3 text-sm text-slate-600">
      <span>
        Modules {first + 1}–{first + shown} of {total} (alphabetical){pages > 1 && <> · page {page} of {pages}</>}
      </span>
      {page > 1 && (
        <AppLink href={href(page - 1)} className="text-emerald-800 underline" rel="prev">
          ← Previous {MODULE_PAGE_SIZE}
        </AppLink>
      )}
      {page < pages && (
        <AppLink href={href(page + 1)} className="text-emerald-800 underline" rel="next">
          Next {Math.min(MODULE_PAGE_SIZE, total - first - shown)} →
        </AppLink>
      )}
    </nav>
  );
}
