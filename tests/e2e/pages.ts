import type { APIRequestContext } from "@playwright/test";

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
    "/api-docs",
    "/no-such-page",
  ];
}
