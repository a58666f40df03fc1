"use client";

import { useEffect, useRef } from "react";

/**
 * A region that takes the focus (and so scrolls into view) when it appears: the check's verdict
 * after submitting the form (on a phone it is below the fold), a matrix cell's panel after
 * opening the cell. tabIndex -1: focusable by script, not an extra tab stop.
 */
export function FocusOnMount({ children, className, label, data }: { children: React.ReactNode; className?: string; label: string; data?: Record<`data-${string}`, string> }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "start", behavior: "instant" });
  }, []);
  return (
    <section ref={ref} tabIndex={-1} aria-label={label} className={`scroll-mt-2 outline-none focus-visible:ring-2 focus-visible:ring-slate-900 ${className ?? ""}`} {...data}>
      {children}
    </section>
  );
}
