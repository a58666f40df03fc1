/**
 * Where to get a module version: the distro package a build came from, as the runner records it
 * in run.meta.modules[] (lib/runner: debianPackage, debianVersion, debianOrigin such as
 * "bookworm-backports/contrib amd64"). Pure; the check names it next to "fixed in" and "accepts it".
 */
export interface PackageSource {
  package: string;
  packageVersion: string | null;
  /** "bookworm-backports/contrib amd64" as apt-cache policy printed it */
  origin: string | null;
}

export interface PackageWhere {
  suite: string | null;
  component: string | null;
  /** one shell line that installs it, when the suite is known */
  install: string | null;
  /** "zfs-dkms 2.3.2-2~bpo12+2 from Debian bookworm-backports (contrib)" */
  text: string;
}

const SUITE = /^[a-z][a-z0-9-]*$/;
const PACKAGE = /^[a-z0-9][a-z0-9+.-]+$/;

export function packageWhere(src: PackageSource): PackageWhere {
  const [path] = (src.origin ?? "").trim().split(/\s+/);
  const [suite, component] = path ? path.split("/") : [];
  const okSuite = suite && SUITE.test(suite) ? suite : null;
  const okComponent = component && SUITE.test(component) ? component : null;
  const name = PACKAGE.test(src.package) ? src.package : null;
  // Named with -t: backports and experimental are never chosen by default, and which release the
  // reader runs is not known here (the suite must be in their apt sources either way).
  const install = name && okSuite ? `apt install -t ${okSuite} ${name}` : null;
  const where = okSuite ? ` from Debian ${okSuite}${okComponent && okComponent !== "main" ? ` (${okComponent})` : ""}` : "";
  return { suite: okSuite, component: okComponent, install, text: `${src.package}${src.packageVersion ? ` ${src.packageVersion}` : ""}${where}` };
}
