/**
 * Which module versions are releases a user could install, and which are development snapshots
 * (a build of master, a `git describe` string, OpenZFS's `x.y.99` branch markers). A fix that only
 * exists in a snapshot has not reached users yet, so regression and support-lag dates are taken from
 * releases; pre-releases (`2.3.0-rc1`) are published tags and count as releases.
 */

const SNAPSHOT_PATTERNS: readonly RegExp[] = [
  // build metadata naming a VCS or a date: 1.6.1+git20230101, 0.12.7+20240115, 2.2.2+g1a2b3c4d
  /\+(?:.*?(?:git|svn|hg|bzr|snapshot|nightly|dev)|\d{8}|g[0-9a-f]{7,})/i,
  // a snapshot word as a separate part: 1.2-git, 1.2~git2024, 1.2.dev3, 1.2-master, 1.2-nightly
  /[-.~_](?:git|svn|snapshot|nightly|master|main|trunk|head|dev)(?![a-z])/i,
  // git describe: 2.2.99-123-g1a2b3c4d
  /-\d+-g[0-9a-f]{7,}$/i,
  // OpenZFS tags x.y.99 at the start of a development cycle on master
  /^v?\d+\.\d+\.99(?![0-9])/,
];

export function isDevelopmentSnapshot(version: string): boolean {
  return SNAPSHOT_PATTERNS.some((re) => re.test(version));
}
