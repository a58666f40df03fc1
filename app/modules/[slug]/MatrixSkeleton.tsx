/** Shown while the matrix streams in. */
export function MatrixSkeleton() {
  return (
    <div className="space-y-3" role="status" aria-label="Loading the matrix">
      <div className="h-7 w-48 animate-pulse rounded bg-slate-200" />
      <div className="h-12 animate-pulse rounded bg-slate-100" />
      <div className="grid grid-cols-12 gap-1">
        {Array.from({ length: 96 }, (_, i) => (
          <div key={i} className="h-5 animate-pulse rounded bg-slate-100" />
        ))}
      </div>
      <span className="sr-only">Loading…</span>
    </div>
  );
}
