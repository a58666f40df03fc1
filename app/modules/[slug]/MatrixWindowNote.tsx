import { AppLink } from "@/app/components/AppLink";
import { MATRIX_PAGE_LIMITS, type MatrixWindow } from "@/lib/domain/matrix-window";
import type { MatrixPageView } from "@/lib/services/get-matrix-page";
import { hrefWith, type SearchParams } from "./url";

const n = (x: number) => x.toLocaleString("en");

/** Says what the page left out (lib/domain/matrix-window.ts) and offers the next window or narrower filters. */
export function MatrixWindowNote(props: { base: string; view: MatrixPageView; current: SearchParams; win: MatrixWindow; expandedKernels: number }) {
  const { base, view, current, win, expandedKernels } = props;
  const rows = win.versionEnd - win.versionStart;
  const cols = win.kernelEnd - win.kernelStart;
  const link = (label: string, changes: Record<string, string | null>) => (
    <AppLink href={hrefWith(base, current, { ...changes, cell: null })} className="text-emerald-800 underline">
      {label}
    </AppLink>
  );
  return (
    <div role="status" data-testid="matrix-window" className="space-y-1 rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
      <p>
        This view is larger than one page draws (at most {n(MATRIX_PAGE_LIMITS.maxVersionRows)} versions, {n(MATRIX_PAGE_LIMITS.maxKernelColumns)} expanded
        kernels and {n(MATRIX_PAGE_LIMITS.maxBoxes)} boxes). Showing versions {n(win.versionStart + 1)}–{n(win.versionEnd)} of {n(view.versions.length)}
        {expandedKernels > 0 && (
          <>
            {" "}and expanded kernels {n(win.kernelStart + 1)}–{n(win.kernelEnd)} of {n(expandedKernels)} (newest first)
          </>
        )}
        .
      </p>
      <p className="flex flex-wrap gap-3">
        {win.versionStart > 0 && link("← newer versions", { vstart: String(Math.max(0, win.versionStart - rows)) })}
        {win.versionEnd < view.versions.length && link("older versions →", { vstart: String(win.versionEnd) })}
        {win.kernelStart > 0 && link("← newer kernels", { kstart: String(Math.max(0, win.kernelStart - cols)) })}
        {win.kernelEnd < expandedKernels && link("older kernels →", { kstart: String(win.kernelEnd) })}
        <span>
          Or narrow: pick a distro, flavour or series range above, expand fewer series, or read everything from{" "}
          <a href={`/api/v1${base}/matrix`} className="underline">
            the matrix API
          </a>
          .
        </span>
      </p>
    </div>
  );
}
