import { describe, expect, it } from "vitest";
import { packageWhere } from "../../lib/domain/package-source";

// issue 12: the check named 0.13.2 and 2.3.2 but not where to get them.
describe("packageWhere: where to get a module version", () => {
  it.each<[string, string | null, string | null, string, string | null]>([
    ["zfs-dkms", "2.3.2-2~bpo12+2", "bookworm-backports/contrib amd64", "zfs-dkms 2.3.2-2~bpo12+2 from Debian bookworm-backports (contrib)", "apt install -t bookworm-backports zfs-dkms"],
    ["v4l2loopback-dkms", "0.13.2-1~bpo12+1", "bookworm-backports/main amd64", "v4l2loopback-dkms 0.13.2-1~bpo12+1 from Debian bookworm-backports", "apt install -t bookworm-backports v4l2loopback-dkms"],
    ["v4l2loopback-dkms", "0.12.7-2", "bookworm/main amd64", "v4l2loopback-dkms 0.12.7-2 from Debian bookworm", "apt install -t bookworm v4l2loopback-dkms"],
    ["zfs-dkms", "2.4.4-1", "experimental/contrib amd64", "zfs-dkms 2.4.4-1 from Debian experimental (contrib)", "apt install -t experimental zfs-dkms"],
    ["evdi-dkms", null, null, "evdi-dkms", null],
    ["x; rm -rf /", "1", "bookworm/main amd64", "x; rm -rf / 1 from Debian bookworm", null],
  ])("%s %s (%s)", (pkg, version, origin, text, install) => {
    const w = packageWhere({ package: pkg, packageVersion: version, origin });
    expect(w.text).toBe(text);
    expect(w.install).toBe(install);
  });
});
