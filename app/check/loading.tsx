export default function Loading() {
  return (
    <div className="animate-pulse space-y-3" role="status" aria-label="Checking">
      <div className="h-7 w-72 rounded bg-slate-200" />
      <div className="h-40 rounded bg-slate-100" />
      <div className="h-32 rounded bg-slate-100" />
    </div>
  );
}
