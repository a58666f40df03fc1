import { readFileSync } from "node:fs";
import path from "node:path";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ModuleStateCell, SERIES_BADGE_CLASS } from "@/app/components/ModuleStateCell";
import { STATUS_CLASS } from "@/app/components/status-style";
import { STATUSES } from "@/lib/domain/status";

/**
 * Issue 11: the landing page's per-series badges use short class names (globals.css) and one text
 * node each, since their markup is sent twice (HTML and RSC payload) for every module. The short
 * classes must stand for exactly the utilities of STATUS_CLASS, and the text must not change.
 */
const css = readFileSync(path.join(import.meta.dirname, "../../app/globals.css"), "utf8");
const applied = (cls: string) => new RegExp(`\\.${cls}\\s*\\{\\s*@apply ([^;]+);`).exec(css)?.[1].split(/\s+/).sort();

describe("compact series badges", () => {
  it.each(STATUSES)("%s: .sb-%s applies the same utilities as STATUS_CLASS", (status) => {
    expect(SERIES_BADGE_CLASS[status]).toBe(`sb sb-${status}`);
    expect(applied(`sb-${status}`)).toEqual(STATUS_CLASS[status].split(" ").sort());
  });

  it("renders the badge's text in one node, same text as before, in a short class", () => {
    const html = renderToStaticMarkup(
      <ModuleStateCell state={{ state: "mixed", version: "1.2", series: [{ series: "6.1", kernel: "6.1.0-56-amd64", status: "pass" }, { series: "6.12", kernel: "6.12.107+deb12-amd64", status: "fail" }] }} />,
    );
    expect(html).toContain('<span title="1.2 on 6.1.0-56-amd64: pass" class="sb sb-pass">6.1 ✓<span class="sr-only"> pass</span></span>');
    expect(html).toContain('<span title="1.2 on 6.12.107+deb12-amd64: fail" class="sb sb-fail">6.12 ✗<span class="sr-only"> fail</span></span>');
  });
});
