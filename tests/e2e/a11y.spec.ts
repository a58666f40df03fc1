import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { demoPages } from "./pages";

// issue 12: axe-core 4.14 found 67 colour-contrast failures on 8 of 14 pages, matrix targets below
// 24 px and a log <pre> the keyboard could not scroll. WCAG 2.1 AA, plus 2.2's target size.
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

for (const width of [1440, 390]) {
  test(`axe finds no violations on any page at ${width} px`, async ({ page, request }) => {
    test.setTimeout(300_000);
    await page.setViewportSize({ width, height: 900 });
    const problems: string[] = [];
    for (const path of await demoPages(request)) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      for (const v of violations) problems.push(`${path}: ${v.id} (${v.nodes.length}) ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")} — ${v.nodes[0]?.failureSummary?.split("\n")[1] ?? ""}`);
    }
    expect(problems).toEqual([]);
  });
}
