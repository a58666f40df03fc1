/**
 * What people type for a module, and the slug it is stored under: Debian package names
 * (zfs-dkms, v4l2loopback-dkms) and other common names (openzfs). The exact name always comes
 * first, since some modules are stored under a -dkms name (jool-dkms). Search and the check use it.
 */
export const MODULE_ALIASES: Readonly<Record<string, string>> = {
  openzfs: "zfs",
  zfsonlinux: "zfs",
  "zfs-linux": "zfs",
  "zfs-kmod": "zfs",
  "v4l2-loopback": "v4l2loopback",
  displaylink: "evdi",
  lttng: "lttng-modules",
  "nvidia-open": "nvidia-current-open",
};

/** Slugs to try for a name, best first; one entry when the name is neither a package nor an alias. */
export function moduleSlugCandidates(name: string): string[] {
  const n = name.trim().toLowerCase();
  const bare = n.replace(/-dkms$/, "");
  const out = [n, bare, MODULE_ALIASES[n], MODULE_ALIASES[bare]].filter((s): s is string => !!s);
  return [...new Set(out)];
}
