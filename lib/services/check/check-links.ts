/** Relative links the check answers with, built in one place so the page, API and CLI agree. */

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
