/**
 * A wide table scrolls inside this box, never the page (a phone is 390 px wide), with its first
 * column sticky (globals.css `.table-scroll`). Focusable, so a keyboard can scroll it.
 */
export function TableScroll({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="table-scroll relative max-w-full overflow-x-auto" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
