"use client";

import { usePathname } from "next/navigation";

/**
 * The first tab stop of every page. On a module page it jumps straight into the matrix grid (its
 * one tab stop), elsewhere to the main content.
 */
export function SkipLink() {
  const path = usePathname();
  const matrix = /^\/modules\/[^/]+$/.test(path);
  const onClick = matrix
    ? (e: React.MouseEvent) => {
        const target = document.querySelector<HTMLElement>('#matrix [tabindex="0"]');
        if (!target) return;
        e.preventDefault();
        target.focus();
        target.scrollIntoView({ block: "nearest" });
      }
    : undefined;
  return (
    <a href={matrix ? "#matrix" : "#main"} onClick={onClick} className="sr-only z-50 rounded bg-slate-900 px-3 py-2 text-sm text-white focus:not-sr-only focus:absolute focus:left-2 focus:top-2">
      {matrix ? "Skip to the matrix" : "Skip to content"}
    </a>
  );
}
