import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { matrixQuerySchema } from "@/lib/schemas/query";
import { getMatrix } from "@/lib/services/get-matrix";
import { AppError } from "@/lib/services/errors";
import { StatusLegend } from "@/app/components/StatusLegend";
import { DataSourceNote } from "@/app/components/DataSourceNote";
import { MatrixFilters } from "./MatrixFilters";
import { MatrixTable } from "./MatrixTable";
import { CellDetailPanel } from "./CellDetailPanel";
import { first, type SearchParams } from "./url";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeURIComponent((await params).slug) };
}

export default async function ModulePage({ params, searchParams }: Props) {
  const slug = decodeURIComponent((await params).slug);
  const sp = await searchParams;
  const parsed = matrixQuerySchema.safeParse({ arch: first(sp.arch), distro: first(sp.distro), from: first(sp.from), to: first(sp.to), expand: first(sp.expand) });
  const query = parsed.success ? parsed.data : {};
  let view;
  try {
    view = await getMatrix(slug, query);
  } catch (e) {
    if (e instanceof AppError && e.code === "not_found") notFound();
    throw e;
  }
  const base = `/modules/${encodeURIComponent(slug)}`;
  const cell = first(sp.cell);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{view.module.name}</h1>
          {view.module.description && <p className="max-w-3xl text-sm text-slate-600">{view.module.description}</p>}
          {view.module.homepage && (
            <a href={view.module.homepage} className="text-xs text-emerald-800 underline" rel="noreferrer">
              {view.module.homepage}
            </a>
          )}
        </div>
        <nav className="flex gap-4 text-sm">
          <Link href={`${base}/history`} className="text-emerald-800 underline">
            Breakage history →
          </Link>
        </nav>
      </div>
      {!parsed.success && (
        <p role="alert" className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
          Ignored invalid filters: {parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}
        </p>
      )}
      <MatrixFilters base={base} view={view} current={sp} />
      <StatusLegend withMixed />
      {view.versions.length === 0 || view.series.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
          No results match these filters. <Link href={base} className="underline">Clear the filters</Link>.
        </p>
      ) : (
        <MatrixTable base={base} view={view} current={sp} selected={cell} />
      )}
      {cell && <CellDetailPanel slug={slug} cell={cell} closeHref={`${base}?${new URLSearchParams(Object.entries(sp).flatMap(([k, v]) => (k === "cell" || v == null ? [] : [[k, String(v)]]))).toString()}`} />}
      <DataSourceNote />
    </div>
  );
}
