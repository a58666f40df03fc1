export default function Loading() {
  return (
    <div className="animate-pulse space-y-3" role="status" aria-label="Loading">
      <div className="h-7 w-64 rounded bg-slate-200" />
      <div className="h-4 w-96 rounded bg-slate-200" />
      <div className="h-64 rounded bg-slate-100" />
    </div>
  );
}
