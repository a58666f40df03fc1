/**
 * The app's relative paths, one builder each. Services may put these in the data they return or
 * store (the check's answers, webhook payloads): they are names of resources, not URLs of one
 * host. Transports make them absolute with lib/http/public-url.ts (publicUrl), which alone knows
 * MODCOMPAT_PUBLIC_URL and the forwarded host. The check's links come from here too, so the
 * page, the API and the CLI agree.
 */

const seg = encodeURIComponent;

export const modulePage = (slug: string) => `/modules/${seg(slug)}`;
export const kernelPage = (kernel: string) => `/kernels/${seg(kernel)}`;
/** The page of one cell: its results over time, error lines and logs. */
export const cellPage = (slug: string, version: string, kernel: string) => `/modules/${seg(slug)}/cells/${seg(version)}/${seg(kernel)}`;
export const moduleMatrixApi = (slug: string) => `/api/v1/modules/${seg(slug)}/matrix`;
export const cellApi = (slug: string, version: string, kernel: string) =>
  `/api/v1/modules/${seg(slug)}/versions/${seg(version)}/kernels/${seg(kernel)}`;

export interface CheckQueryState {
  kernel: string;
  modules: string[];
  arch?: string | null;
}

/** The query string that reproduces a check: kernel, each module as name@version, arch. */
export function checkSearch(q: CheckQueryState): string {
  const p = new URLSearchParams();
  p.set("kernel", q.kernel);
  for (const m of q.modules) p.append("module", m);
  if (q.arch) p.set("arch", q.arch);
  return p.toString();
}

export const checkPage = (q: CheckQueryState) => `/check?${checkSearch(q)}`;
export const checkApi = (q: CheckQueryState) => `/api/v1/check?${checkSearch(q)}`;

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
