/**
 * The app's relative paths, one builder each. Services may put these in the data they return or
 * store (the check's answers, webhook payloads): they are names of resources, not URLs of one
 * host. Transports make them absolute with lib/http/public-url.ts (publicUrl), which alone knows
 * MODCOMPAT_PUBLIC_URL and the forwarded host.
 *
 * The check's builders live beside it (lib/services/check/check-links.ts) and are re-exported here
 * so that every caller has one place to import from.
 */
export { cellApi, cellPage, checkApi, checkPage, kernelPage, moduleMatrixApi, modulePage } from "./services/check/check-links";

const seg = encodeURIComponent;

export const moduleHistoryPage = (slug: string) => `/modules/${seg(slug)}/history`;
export const regressionsPage = (module?: string) => (module ? `/regressions?module=${seg(module)}` : "/regressions");
export const regressionPage = (id: number) => `/regressions/${id}`;
export const regressionApi = (id: number) => `/api/v1/regressions/${id}`;
/** The upcoming page, or one kernel's section of it. */
export const upcomingPage = (kernel?: string) => (kernel ? `/upcoming#${seg(kernel)}` : "/upcoming");

export const regressionsAtomPath = (module?: string) => (module ? `/api/v1/modules/${seg(module)}/regressions.atom` : "/api/v1/regressions.atom");
export const upcomingAtomPath = () => "/api/v1/upcoming.atom";
export const watchAtomPath = (w: { module: string; version?: string; kernel: string; arch?: string }) =>
  `/api/v1/watch.atom?${new URLSearchParams({ module: w.module, ...(w.version ? { version: w.version } : {}), kernel: w.kernel, ...(w.arch ? { arch: w.arch } : {}) })}`;
