import { describe, expect, it } from "vitest";
import { moduleSlugCandidates } from "../../lib/domain/module-alias";

// issue 12: search and check did not know Debian package names or aliases.
describe("moduleSlugCandidates", () => {
  it.each<[string, string[]]>([
    ["zfs", ["zfs"]],
    ["zfs-dkms", ["zfs-dkms", "zfs"]],
    ["ZFS-DKMS ", ["zfs-dkms", "zfs"]],
    ["openzfs", ["openzfs", "zfs"]],
    ["v4l2loopback-dkms", ["v4l2loopback-dkms", "v4l2loopback"]],
    // stored under its package name: the exact name comes first
    ["jool-dkms", ["jool-dkms", "jool"]],
  ])("%j → %j", (name, slugs) => expect(moduleSlugCandidates(name)).toEqual(slugs));
});
