import type { APIRequestContext, Locator, Page } from "@playwright/test";

/** Every kind of page of the demo, with real ids: the layout and accessibility specs visit them all. */
export async function demoPages(request: APIRequestContext): Promise<string[]> {
  const regs = (await (await request.get("/api/v1/regressions?limit=1")).json()) as { items: { id: number }[] };
  const sigs = (await (await request.get("/api/v1/signatures")).json()) as { signatures: { symbol: string }[] };
  const kernel = "6.12.107+deb12-amd64";
  const cell = encodeURIComponent(`0.12.7@${kernel}`);
  return [
    "/",
    "/?q=zfs",
    "/modules/v4l2loopback",
    `/modules/v4l2loopback?expand=6.12&cell=${cell}`,
    "/modules/v4l2loopback/history",
    "/check",
    `/check?kernel=${encodeURIComponent(kernel)}&module=${encodeURIComponent("v4l2loopback@0.12.7")}&module=${encodeURIComponent("zfs@2.1.11")}`,
    `/kernels/${encodeURIComponent(kernel)}`,
    "/regressions",
    ...(regs.items[0] ? [`/regressions/${regs.items[0].id}`] : []),
    "/signatures",
    ...(sigs.signatures[0] ? [`/signatures/${encodeURIComponent(sigs.signatures[0].symbol)}`] : []),
    "/upcoming",
    "/sources",
    "/api-docs",
    "/no-such-page",
  ];
}

/**
 * A cell of the matrix grid by its version and kernel. Cells carry no attributes of their own (at
 * 100 × 400 that markup was most of the page); their row and column headers name them. Its status
 * is its class: p(ass), f(ail), e(rror), s(kip).
 */
export async function matrixCell(page: Page, version: string, kernel: string): Promise<Locator> {
  const matrix = page.getByTestId("matrix");
  await matrix.locator(`thead th[data-k="${kernel}"]`).waitFor();
  const col = await matrix.locator("thead th").evaluateAll((ths, k) => ths.findIndex((th) => (th as HTMLElement).dataset.k === k), kernel);
  return matrix.locator(`tbody tr:has(th[data-v="${version}"]) > :nth-child(${col + 1})`);
}

export const STATUS_CLASS = { pass: /(^|\s)p(\s|$)/, fail: /(^|\s)f(\s|$)/, error: /(^|\s)e(\s|$)/, skip: /(^|\s)s(\s|$)/ } as const;
