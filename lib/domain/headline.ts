import type { Status } from "./status";

export interface HeadlineCell {
  module: string;
  kernel: string;
  status: Status;
}

export interface Headline {
  from: string;
  to: string;
  /** modules with a version that builds on `from` */
  buildOnFrom: string[];
  /** of those, the ones with a version that also builds on `to` */
  stillBuild: string[];
  /** of those, the ones with no passing version on `to` but a failure there */
  broken: string[];
  /** of those, no result on `to` that says anything (only error/skip or nothing) */
  undetermined: string[];
}

/**
 * "Of the modules that build on kernel A, how many still build on kernel B?" — the question a
 * sysadmin asks before moving from one distro kernel to the next. Any module version counts: the
 * upgrade may bring a newer module package with it.
 */
export function computeHeadline(cells: readonly HeadlineCell[], from: string, to: string): Headline {
  const passOn = (k: string) => new Set(cells.filter((c) => c.kernel === k && c.status === "pass").map((c) => c.module));
  const failOn = new Set(cells.filter((c) => c.kernel === to && c.status === "fail").map((c) => c.module));
  const a = passOn(from);
  const b = passOn(to);
  const buildOnFrom = [...a].sort();
  const stillBuild = buildOnFrom.filter((m) => b.has(m));
  const broken = buildOnFrom.filter((m) => !b.has(m) && failOn.has(m));
  const undetermined = buildOnFrom.filter((m) => !b.has(m) && !failOn.has(m));
  return { from, to, buildOnFrom, stillBuild, broken, undetermined };
}

/** "1 module that builds" / "3 modules that build": the headline's counted noun and verb agree. */
export function modulesThatBuild(n: number): { noun: string; verb: string } {
  return n === 1 ? { noun: "module that builds", verb: "still builds" } : { noun: "modules that build", verb: "still build" };
}
