import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { LogLink, RunRef } from "@/app/components/ResultLog";
import { safeExternalUrl } from "@/lib/domain/safe-url";

/** Issue 11, defect 7: stored URLs are links only when http(s), and never pass the referrer or the opener. */
describe("external links", () => {
  it.each([
    ["https://ci.example.org/1/make.log", "https://ci.example.org/1/make.log"],
    ["http://example.org", "http://example.org/"],
    ["data:text/html,<script>alert(1)</script>", null],
    ["vbscript:msgbox(1)", null],
    ["file:///etc/passwd", null],
    ["javascript:alert(1)", null],
    ["  JAVASCRIPT:alert(1)", null],
    ["/relative", null],
  ])("safeExternalUrl(%j) = %j", (input, out) => {
    expect(safeExternalUrl(input)).toBe(out);
  });

  it("renders http(s) with rel=noopener noreferrer nofollow", () => {
    const html = renderToStaticMarkup(<LogLink url="https://ci.example.org/1/make.log" />);
    expect(html).toContain('rel="noopener noreferrer nofollow"');
    expect(html).toContain('href="https://ci.example.org/1/make.log"');
    expect(renderToStaticMarkup(<RunRef run={{ source: "s", externalId: "1", url: "https://ci.example.org/1" }} />)).toContain('rel="noopener noreferrer nofollow"');
  });

  it("renders a stored data:, vbscript: or file: URL as text, never as a link", () => {
    for (const url of ["data:text/html,<b>x</b>", "vbscript:msgbox(1)", "file:///etc/passwd"]) {
      expect(renderToStaticMarkup(<LogLink url={url} />)).not.toContain("<a");
      expect(renderToStaticMarkup(<RunRef run={{ source: "s", externalId: "1", url }} />)).not.toContain("href");
    }
  });
});
