"use client";

import { kernelPage } from "@/lib/links";
import { AppLink } from "@/app/components/AppLink";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import type { Disagreement } from "@/lib/domain/declared-range";
import { DeclaredMark } from "@/app/components/history/DeclaredMark";
import { decodeCounts, summaryText, type GroupHeadline } from "@/lib/domain/matrix";

export interface GridProps {
  /** the page URL with `cell=__CELL__`, where the cell key (version@kernel) goes */
  cellHref: string;
  selected: string | null;
  versions: { version: string; title: string; declared: string | null }[];
  series: {
    series: string;
    count: number;
    expanded: boolean;
    toggleHref: string;
    /** per version row: its counts (encodeCounts), "" for no result */
    summaries: string[];
    summaryMarks: (Disagreement | null)[];
    /** the drawn kernels of an expanded series, newest first */
    kernels: { version: string; title: string; note: string | null; rc: boolean }[];
    /** per version row: one letter per drawn kernel (p f e s, "." no result) */
    cells: string[];
  }[];
  /** [series, row, column within the series, kind] of cells whose result contradicts the declared range */
  marks: [string, number, number, Disagreement][];
  /** [series, row, column, outcome, label] of empty cells with a predicted verdict: drawn hatched, never like a result */
  predicted: [string, number, number, "pass" | "fail", string][];
  symbols: Record<"pass" | "fail" | "error" | "skip", string>;
}

/**
 * Where the focus goes once the grid is drawn again after a navigation it started (expanding a
 * series re-renders the matrix in a new Suspense boundary, so a ref would not survive it).
 */
let pendingFocus: { r: number; c: number } | null = null;

const HEADLINE_LETTER: Record<GroupHeadline, string> = { pass: "p", fail: "f", error: "e", skip: "s", mixed: "m", none: "n" };

const LETTER_STATUS = { p: "pass", f: "fail", e: "error", s: "skip" } as const;
type Letter = keyof typeof LETTER_STATUS;

/**
 * The matrix as a WAI-ARIA grid: one tab stop (the active cell), arrow keys move between cells,
 * Home/End to the row's ends, Ctrl+Home/End to the corners, PageUp/PageDown by ten rows; Enter
 * (or a click) on a result opens its panel, on a series summary expands or collapses the series.
 * Cells carry no per-cell links or attributes: at 100 × 400 that markup was most of the page;
 * a cell's version and kernel come from its row and column headers.
 */
export function MatrixGrid(props: GridProps) {
  const router = useRouter();
  const table = useRef<HTMLTableElement>(null);
  const lastSelected = useRef<string | null>(props.selected);

  useEffect(() => {
    const t = table.current;
    if (!t) return;
    if (pendingFocus) {
      const { r, c } = pendingFocus;
      pendingFocus = null;
      const el = t.rows[r]?.cells[c];
      if (el) moveFocus(t, el);
    } else if (lastSelected.current && !props.selected) {
      // The cell panel was closed (Escape): the focus returns to its cell.
      const el = cellOfKey(t, lastSelected.current);
      if (el) moveFocus(t, el);
    }
    lastSelected.current = props.selected;
  });

  const marks = new Map(props.marks.map(([s, r, c, kind]) => [`${s}:${r}:${c}`, kind]));
  const predicted = new Map(props.predicted.map(([s, r, c, outcome, label]) => [`${s}:${r}:${c}`, { outcome, label }]));
  const sel = props.selected ? splitKey(props.selected) : null;

  const activate = (cell: HTMLTableCellElement) => {
    const t = table.current!;
    const r = (cell.parentElement as HTMLTableRowElement).rowIndex;
    const header = t.rows[0].cells[cell.cellIndex] as HTMLElement | undefined;
    if (r === 0 || cell.cellIndex === 0 || !header) return false;
    if (header.dataset.series) {
      pendingFocus = { r, c: cell.cellIndex };
      router.push(header.dataset.toggle!, { scroll: false });
      return true;
    }
    const version = (t.rows[r].cells[0] as HTMLElement).dataset.v;
    // An empty or predicted cell has no result to open.
    if (!header.dataset.k || !version || !cell.textContent || cell.dataset.predicted) return false;
    router.push(props.cellHref.replace("__CELL__", encodeURIComponent(`${version}@${header.dataset.k}`)), { scroll: false });
    return true;
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLTableElement>) => {
    const t = table.current!;
    const cell = (e.target as HTMLElement).closest("td, th") as HTMLTableCellElement | null;
    if (!cell) return;
    let r = (cell.parentElement as HTMLTableRowElement).rowIndex;
    let c = cell.cellIndex;
    const lastRow = t.rows.length - 1;
    const lastCol = t.rows[0].cells.length - 1;
    switch (e.key) {
      case "ArrowRight": c += 1; break;
      case "ArrowLeft": c -= 1; break;
      case "ArrowDown": r += 1; break;
      case "ArrowUp": r -= 1; break;
      case "PageDown": r += 10; break;
      case "PageUp": r -= 10; break;
      case "Home": c = 0; if (e.ctrlKey) r = 0; break;
      case "End": c = lastCol; if (e.ctrlKey) r = lastRow; break;
      case "Enter":
      case " ":
        // A focused header link follows itself.
        if ((e.target as HTMLElement).tagName === "A") return;
        if (activate(cell)) e.preventDefault();
        return;
      default:
        return;
    }
    e.preventDefault();
    r = Math.max(0, Math.min(lastRow, r));
    c = Math.max(0, Math.min(lastCol, c));
    const next = t.rows[r]?.cells[c];
    if (next) moveFocus(t, next);
  };

  const onClick = (e: React.MouseEvent<HTMLTableElement>) => {
    if ((e.target as HTMLElement).closest("a")) return;
    const cell = (e.target as HTMLElement).closest("td") as HTMLTableCellElement | null;
    if (cell && activate(cell)) moveFocus(table.current!, cell);
  };

  const selRow = sel ? props.versions.findIndex((v) => v.version === sel.version) : -1;
  return (
    <div className="relative max-h-[75vh] overflow-auto rounded border border-slate-200 bg-white" data-testid="matrix" id="matrix">
      <table ref={table} role="grid" aria-label="Compatibility matrix: module versions (rows) by kernel series and kernels (columns), newest first" aria-readonly="true" className="mx" onKeyDown={onKeyDown} onClick={onClick}>
        <thead>
          <tr>
            <th className="corner" tabIndex={0}>
              Version \ Kernel
            </th>
            {props.series.flatMap((s) => [
              <th key={s.series} scope="col" className="sh" data-series={s.series} data-toggle={s.toggleHref}>
                <AppLink href={s.toggleHref} scroll={false} tabIndex={-1} aria-expanded={s.expanded} title={`${s.count} kernels in ${s.series}; ${s.expanded ? "collapse" : "expand"}`}>
                  {s.expanded ? "▾" : "▸"} {s.series} <span className="cnt">({s.count})</span>
                </AppLink>
              </th>,
              ...s.kernels.map((k) => (
                <th key={k.version} scope="col" className="kh" data-k={k.version}>
                  <AppLink href={kernelPage(k.version)} tabIndex={-1} title={k.title}>
                    {k.version}
                    {k.note && <span className="cnt"> · {k.note}</span>}
                    {k.rc && <span className="rc"> · rc</span>}
                  </AppLink>
                </th>
              )),
            ])}
          </tr>
        </thead>
        <tbody>
          {props.versions.map((v, row) => (
            <tr key={v.version}>
              <th scope="row" data-v={v.version} title={v.title}>
                {v.version}
                {v.declared && (
                  <div className="decl" title="kernel range the module version declares">
                    declares {v.declared}
                  </div>
                )}
              </th>
              {props.series.flatMap((s) => {
                const sum = decodeCounts(s.summaries[row]);
                const summary = (
                  <td key={s.series} className={`sum ${HEADLINE_LETTER[sum.headline]}`}>
                    {summaryText(sum)}
                    {s.summaryMarks[row] && <DeclaredMark kind={s.summaryMarks[row]} />}
                  </td>
                );
                if (!s.expanded) return [summary];
                const letters = s.cells[row];
                return [
                  summary,
                  ...s.kernels.map((k, col) => {
                    const ch = letters[col] as Letter | ".";
                    if (ch === ".") {
                      const p = predicted.get(`${s.series}:${row}:${col}`);
                      if (!p) return <td key={k.version} />;
                      return (
                        <td key={k.version} className={`q q${p.outcome[0]}`} data-predicted={p.outcome} title={`${props.versions[row].version} on ${k.version}: no result; ${p.label}`}>
                          {p.outcome === "fail" ? "✗?" : "✓?"}
                          <span className="sr-only"> predicted: {p.label}</span>
                        </td>
                      );
                    }
                    const status = LETTER_STATUS[ch];
                    const isSel = row === selRow && sel?.kernel === k.version;
                    const mark = marks.get(`${s.series}:${row}:${col}`);
                    return (
                      <td key={k.version} className={isSel ? `${ch} sel` : ch} aria-selected={isSel || undefined}>
                        {props.symbols[status]}
                        {mark && <DeclaredMark kind={mark} />}
                      </td>
                    );
                  }),
                ];
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function splitKey(key: string): { version: string; kernel: string } {
  const at = key.indexOf("@");
  return { version: key.slice(0, at), kernel: key.slice(at + 1) };
}

function cellOfKey(t: HTMLTableElement, key: string): HTMLTableCellElement | null {
  const { version, kernel } = splitKey(key);
  const col = [...t.rows[0].cells].findIndex((h) => h.dataset.k === kernel);
  const row = [...t.rows].findIndex((r) => r.cells[0]?.dataset.v === version);
  return col > 0 && row > 0 ? t.rows[row].cells[col] : null;
}

/** Roving tab stop: the cell (or the link in a header cell) becomes the grid's one tab stop. */
function moveFocus(t: HTMLTableElement, cell: HTMLTableCellElement) {
  for (const el of t.querySelectorAll<HTMLElement>('[tabindex="0"]')) el.tabIndex = -1;
  const target = cell.querySelector<HTMLElement>("a") ?? cell;
  target.tabIndex = 0;
  target.focus();
}
