"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

/**
 * A region that takes the focus (and so scrolls into view) when it appears: the check's verdict
 * after submitting the form (on a phone it is below the fold), a matrix cell's panel after
 * opening the cell. tabIndex -1: focusable by script, not an extra tab stop. With `closeHref`,
 * Escape inside it goes there (the matrix grid then gives the focus back to the cell).
 */
export function FocusOnMount(props: { children: React.ReactNode; className?: string; label: string; data?: Record<`data-${string}`, string>; closeHref?: string; focusKey?: string }) {
  const { children, className, label, data, closeHref, focusKey } = props;
  const ref = useRef<HTMLElement>(null);
  const router = useRouter();
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "nearest", behavior: "instant" });
  }, [focusKey]);
  const onKeyDown = closeHref
    ? (e: React.KeyboardEvent) => {
        if (e.key !== "Escape") return;
        e.preventDefault();
        router.push(closeHref, { scroll: false });
      }
    : undefined;
  return (
    <section ref={ref} tabIndex={-1} aria-label={label} onKeyDown={onKeyDown} className={`scroll-mt-2 outline-none focus-visible:ring-2 focus-visible:ring-slate-900 ${className ?? ""}`} {...data}>
      {children}
    </section>
  );
}
