/** The parts of a KCIDB v5 document (lib/kcidb/kcidb-v05_03.schema.json) that ModCompat reads or writes. */
export type KcidbStatus = "FAIL" | "ERROR" | "MISS" | "PASS" | "DONE" | "SKIP";

/** Our own fields, kept under `misc.modcompat` of checkouts, builds and tests. */
export interface ModcompatMisc {
  module?: string;
  version?: string;
  kernel?: string;
  stage?: string;
  error_line?: string;
  log_truncated?: boolean;
  declared_kernel_min?: string;
  declared_kernel_max?: string;
  released_at?: string;
}
type Misc = { modcompat?: ModcompatMisc } & Record<string, unknown>;

export interface KcidbCheckout {
  id: string;
  origin: string;
  tree_name?: string;
  git_commit_name?: string;
  comment?: string;
  misc?: Misc;
  [k: string]: unknown;
}

export interface KcidbBuild {
  id: string;
  checkout_id: string;
  origin: string;
  architecture?: string;
  compiler?: string;
  config_name?: string;
  start_time?: string;
  duration?: number;
  log_url?: string;
  log_excerpt?: string;
  status?: KcidbStatus;
  comment?: string;
  misc?: Misc;
  [k: string]: unknown;
}

export interface KcidbTest {
  id: string;
  build_id: string;
  origin: string;
  path?: string;
  start_time?: string;
  duration?: number;
  log_url?: string;
  log_excerpt?: string;
  status?: KcidbStatus;
  comment?: string;
  misc?: Misc;
  [k: string]: unknown;
}

export interface KcidbDocument {
  version: { major: number; minor?: number };
  checkouts?: KcidbCheckout[];
  builds?: KcidbBuild[];
  tests?: KcidbTest[];
  issues?: unknown[];
  incidents?: unknown[];
}

export const KCIDB_VERSION = { major: 5, minor: 3 } as const;
export const KCIDB_ORIGIN = "modcompat";
