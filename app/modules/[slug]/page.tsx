import { notFound } from "next/navigation";
import type { Metadata } from "next";
import { decodeSegment } from "@/lib/http/decode-segment";
import { AppLink } from "@/app/components/AppLink";
import { matrixQuerySchema } from "@/lib/schemas/query";
import { Suspense } from "react";
import { getMatrixPage, type MatrixPage } from "@/lib/services/get-matrix-page";
import { DeclaredMarkLegend } from "@/app/components/history/DeclaredMark";
import { getModuleHeader } from "@/lib/services/get-module";
import { loadOr404 } from "@/lib/http/page";
import { ExternalLink } from "@/app/components/ExternalLink";
import { StatusLegend } from "@/app/components/StatusLegend";
import { DataSourceNote } from "@/app/components/DataSourceNote";
import { MatrixFilters } from "./MatrixFilters";
import { MatrixTable } from "./MatrixTable";
import { CellDetailPanel } from "./CellDetailPanel";
import { MatrixSkeleton } from "./MatrixSkeleton";
import { SupportPanel } from "./SupportPanel";
import { DeclaredOnlyVersions } from "./DeclaredOnlyVersions";
import { first, type SearchParams } from "./url";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeSegment((await params).slug) ?? "not found" };
}

export default async function ModulePage({ params, searchParams }: Props) {
  const slug = decodeSegment((await params).slug) ?? notFound();
  const sp = await searchParams;
  const parsed = matrixQuerySchema.safeParse({ arch: first(sp.arch), distro: first(sp.distro), flavour: first(sp.flavour), flavours: first(sp.flavours) === "all" ? "all" : "generic", from: first(sp.from), to: first(sp.to), expand: first(sp.expand), vstart: first(sp.vstart), kstart: first(sp.kstart) });
  const query = parsed.success ? parsed.data : {};
  // Resolve the module before anything streams, so an unknown slug is a real 404.
  const mod = await loadOr404(getModuleHeader(slug));
  // Read once for both panels below: the matrix and the support panel come from the same kept columns.
  const page = getMatrixPage(slug, query);
  const base = `/modules/${encodeURIComponent(slug)}`;
  const cell = first(sp.cell);
  const closeHref = `${base}?${new URLSearchParams(Object.entries(sp).flatMap(([k, v]) => (k === "cell" || v == null ? [] : [[k, String(v)]]))).toString()}`;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{mod.name}</h1>
          {mod.description && <p className="max-w-3xl text-sm text-slate-600">{mod.description}</p>}
          {mod.homepage && (
            <ExternalLink href={mod.homepage} className="text-xs text-emerald-800 underline" />
          )}
        </div>
        <nav className="flex gap-4 text-sm">
          <AppLink href={`${base}/history`} className="text-emerald-800 underline">
            Breakage history →
          </AppLink>
        </nav>
      </div>
      {!parsed.success && (
        <p role="alert" className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
          Ignored invalid filters: {parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}
        </p>
      )}
      <Suspense fallback={null}>
        <SupportPanel detail={page.then((p) => p.support())} />
      </Suspense>
      <StatusLegend withMixed />
      <Suspense key={JSON.stringify(query)} fallback={<MatrixSkeleton />}>
        <MatrixSection page={page} base={base} current={sp} cell={cell} />
      </Suspense>
      {cell && (
        <Suspense fallback={<p className="text-sm text-slate-500">Loading the cell…</p>}>
          <CellDetailPanel slug={slug} cell={cell} closeHref={closeHref} />
        </Suspense>
      )}
      <DataSourceNote />
    </div>
  );
}

async function MatrixSection(props: { page: Promise<MatrixPage>; base: string; current: SearchParams; cell?: string }) {
  // Summaries from the compact columns; the cells of the drawn window only (lib/services/get-matrix-page.ts).
  const { view, declaredOnly, marks, predictions } = await props.page;
  return (
    <>
      <MatrixFilters base={props.base} view={view} current={props.current} />
      {view.versions.length === 0 || view.series.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
          No results match these filters.{" "}
          <AppLink href={props.base} className="underline">
            Clear the filters
          </AppLink>
          .
        </p>
      ) : (
        <>
          <MatrixTable base={props.base} view={view} current={props.current} selected={props.cell} marks={marks} predictions={predictions} />
          {predictions.size > 0 && (
            <p className="text-xs text-slate-600" data-testid="prediction-legend">
              <span className="mr-1 inline-block rounded border border-slate-300 bg-[repeating-linear-gradient(45deg,#e2e8f0_0,#e2e8f0_2px,transparent_2px,transparent_5px)] px-1">?</span>
              Hatched cells are <strong>predicted</strong>, not built: from the footprint of a real build on another kernel and this kernel&apos;s exported
              symbols and headers (<AppLink href="/predictions" className="underline">how well predictions do</AppLink>).
            </p>
          )}
          <DeclaredMarkLegend count={marks.size} historyHref={`${props.base}/history`} />
        </>
      )}
      {declaredOnly.length > 0 && <DeclaredOnlyVersions versions={declaredOnly} />}
    </>
  );
}
