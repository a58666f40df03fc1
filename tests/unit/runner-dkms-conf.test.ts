import { describe, expect, it } from "vitest";
import {
  compareKernelToBound,
  declaredRange,
  evaluateBuildExclusive,
  moduleSlugFromName,
  parseDkmsConf,
  parseKernelConfig,
  parseMetaLinuxRange,
  splitShellStatements,
} from "../../lib/runner/dkms-conf";

// Excerpts of real dkms.conf files from Debian 12 packages (zfs-dkms 2.3.2-2~bpo12+2, 2.1.11-1+deb12u1,
// v4l2loopback-dkms 0.12.7-2).
const ZFS_232 = `PACKAGE_NAME="zfs"
PACKAGE_VERSION="2.3.2"
PACKAGE_CONFIG="/etc/dkms/zfs.conf"
NO_WEAK_MODULES="yes"

BUILD_EXCLUSIVE_CONFIG="!CONFIG_PREEMPT_RT"

BUILD_EXCLUSIVE_KERNEL_MIN="4.18"

PRE_BUILD="configure
  --disable-dependency-tracking
  --prefix=/usr
  --with-config=kernel
  --with-linux=$(
    if [ -e "\${kernel_source_dir/%build/source}" ]
    then
      echo "\${kernel_source_dir/%build/source}"
    else
      echo "\${kernel_source_dir}"
    fi
  )
  --with-linux-obj="\${kernel_source_dir}"
"
AUTOINSTALL="yes"
MAKE[0]="make"
BUILT_MODULE_NAME[0]="zfs"
BUILT_MODULE_LOCATION[0]="module/"
DEST_MODULE_LOCATION[0]="/extra"
`;

const ZFS_2111 = `PACKAGE_NAME="zfs"
PACKAGE_VERSION="2.1.11"
PACKAGE_CONFIG="/etc/dkms/zfs.conf"
NO_WEAK_MODULES="yes"
if [ -f $kernel_source_dir/.config ]; then
    . $kernel_source_dir/.config
    if [ "$CONFIG_PREEMPT_RT" = "y" ]; then
        BUILD_EXCLUSIVE_KERNEL="NOT ON PREEMPT_RT"
    fi
fi
MAKE[0]="make"
`;

const V4L2LOOPBACK = `PACKAGE_NAME="v4l2loopback"
PACKAGE_VERSION="0.12.7"

if [ -f $kernel_source_dir/.config ]; then
    . $kernel_source_dir/.config
    if ! { echo "$kernelver"; echo 5.18; } | sort -V -C; then
        # for linux>=5.18, CONFIG_VIDEO_V4L2 has been renamed to CONFIG_VIDEO_DEV
        if [ "\${CONFIG_VIDEO_DEV:-n}" = "n" ]; then
            BUILD_EXCLUSIVE_KERNEL="REQUIRES CONFIG_VIDEO_DEV"
        fi
    else
        if [ "\${CONFIG_VIDEO_V4L2:-n}" = "n" ]; then
            BUILD_EXCLUSIVE_KERNEL="REQUIRES CONFIG_VIDEO_V4L2"
        fi
    fi
fi

# Items below here should not have to change with each driver version
MAKE[0]="make KERNEL_DIR=\${kernel_source_dir} all"
CLEAN="make clean"

BUILT_MODULE_NAME[0]="$PACKAGE_NAME"
DEST_MODULE_LOCATION[0]="/extra"

AUTOINSTALL="yes"
`;

const config = (text: string) => parseKernelConfig(text);
const RT_CONFIG = config("CONFIG_PREEMPT_RT=y\nCONFIG_MODULES=y\n# CONFIG_DEBUG_INFO is not set\n");
const GENERIC_CONFIG = config("# CONFIG_PREEMPT_RT is not set\nCONFIG_MODULES=y\nCONFIG_VIDEO_DEV=m\n");

describe("parseDkmsConf", () => {
  it("reads static top-level assignments, including multi-line values with nested quotes", () => {
    const c = parseDkmsConf(ZFS_232);
    expect(c.vars.PACKAGE_NAME).toBe("zfs");
    expect(c.vars.PACKAGE_VERSION).toBe("2.3.2");
    expect(c.vars.BUILD_EXCLUSIVE_CONFIG).toBe("!CONFIG_PREEMPT_RT");
    expect(c.vars.BUILD_EXCLUSIVE_KERNEL_MIN).toBe("4.18");
    expect(c.vars["MAKE[0]"]).toBe("make");
    expect(c.vars["DEST_MODULE_LOCATION[0]"]).toBe("/extra");
    expect(c.vars.AUTOINSTALL).toBe("yes"); // parsing resumed correctly after PRE_BUILD's $( … )
    expect(c.dynamic).toContain("PRE_BUILD");
  });

  it("marks assignments inside if-blocks as conditional, not static", () => {
    const c = parseDkmsConf(ZFS_2111);
    expect(c.vars.BUILD_EXCLUSIVE_KERNEL).toBeUndefined();
    expect(c.conditional).toContain("BUILD_EXCLUSIVE_KERNEL");
    expect(c.vars["MAKE[0]"]).toBe("make");
  });

  it("survives v4l2loopback's nested ifs, { …; } groups and comments", () => {
    const c = parseDkmsConf(V4L2LOOPBACK);
    expect(c.vars.PACKAGE_NAME).toBe("v4l2loopback");
    expect(c.vars.PACKAGE_VERSION).toBe("0.12.7");
    expect(c.conditional).toEqual(["BUILD_EXCLUSIVE_KERNEL"]);
    expect(c.vars["BUILT_MODULE_NAME[0]"]).toBe("v4l2loopback"); // $PACKAGE_NAME expanded
    expect(c.vars.CLEAN).toBe("make clean");
    expect(c.vars.AUTOINSTALL).toBe("yes");
    expect(c.dynamic).toContain("MAKE[0]"); // ${kernel_source_dir} is only known to dkms
  });

  it("handles single quotes, unquoted values, `&&` assignments and line continuations", () => {
    const c = parseDkmsConf(
      "PACKAGE_NAME=foo\nPACKAGE_VERSION='1.0 beta'\n[ -e /x ] && BUILD_EXCLUSIVE_ARCH=x86_64\nA=\"one \\\ntwo\"\nB=$(uname -r)\n",
    );
    expect(c.vars.PACKAGE_NAME).toBe("foo");
    expect(c.vars.PACKAGE_VERSION).toBe("1.0 beta");
    expect(c.vars.BUILD_EXCLUSIVE_ARCH).toBeUndefined();
    expect(c.conditional).toContain("BUILD_EXCLUSIVE_ARCH");
    expect(c.vars.A).toBe("one two");
    expect(c.dynamic).toContain("B");
  });

  it("splits statements at ; and newlines but not inside quotes or $( )", () => {
    expect(splitShellStatements('A="x;y"; B=$(echo a; echo b)\n# c\nC=1 # trailing')).toEqual([
      'A="x;y"',
      "B=$(echo a; echo b)",
      "C=1",
    ]);
  });
});

describe("evaluateBuildExclusive", () => {
  const x86 = { arch: "x86_64" };

  it("OpenZFS 2.3.2: !CONFIG_PREEMPT_RT excludes rt kernels only", () => {
    const c = parseDkmsConf(ZFS_232);
    const rt = evaluateBuildExclusive(c, { ...x86, kernel: "6.1.0-56-rt-amd64", config: RT_CONFIG });
    expect(rt.excluded).toBe(true);
    expect(rt.reasons[0]).toMatch(/^BUILD_EXCLUSIVE_CONFIG=!CONFIG_PREEMPT_RT excludes this kernel/);
    expect(evaluateBuildExclusive(c, { ...x86, kernel: "6.1.0-56-amd64", config: GENERIC_CONFIG }).excluded).toBe(false);
  });

  it("OpenZFS 2.3.2: KERNEL_MIN 4.18 excludes older kernels", () => {
    const c = parseDkmsConf(ZFS_232);
    const old = evaluateBuildExclusive(c, { ...x86, kernel: "4.9.0-13-amd64", config: GENERIC_CONFIG });
    expect(old).toEqual({ excluded: true, reasons: ["BUILD_EXCLUSIVE_KERNEL_MIN=4.18 excludes 4.9.0-13-amd64"] });
    expect(evaluateBuildExclusive(c, { ...x86, kernel: "4.18.0-553.el8_10.x86_64", config: GENERIC_CONFIG }).excluded).toBe(false);
  });

  it("without a kernel config, CONFIG rules cannot exclude (as in dkms)", () => {
    const c = parseDkmsConf(ZFS_232);
    expect(evaluateBuildExclusive(c, { ...x86, kernel: "6.1.0-56-rt-amd64" }).excluded).toBe(false);
  });

  it("positive CONFIG rules need y or m", () => {
    const c = parseDkmsConf('BUILD_EXCLUSIVE_CONFIG="CONFIG_VIDEO_DEV CONFIG_MODULES"');
    expect(evaluateBuildExclusive(c, { ...x86, kernel: "6.1.0-56-amd64", config: GENERIC_CONFIG }).excluded).toBe(false);
    const r = evaluateBuildExclusive(c, { ...x86, kernel: "6.1.0-56-amd64", config: RT_CONFIG });
    expect(r.reasons).toEqual(["BUILD_EXCLUSIVE_CONFIG=CONFIG_VIDEO_DEV excludes this kernel (CONFIG_VIDEO_DEV not set)"]);
  });

  it("KERNEL is an unanchored extended regex, ARCH too", () => {
    const c = parseDkmsConf('BUILD_EXCLUSIVE_KERNEL="^(5\\.|6\\.[0-5]\\.)"\nBUILD_EXCLUSIVE_ARCH="x86_64|i.86"');
    expect(evaluateBuildExclusive(c, { ...x86, kernel: "6.1.0-56-amd64" }).excluded).toBe(false);
    expect(evaluateBuildExclusive(c, { ...x86, kernel: "5.10.0-30-amd64" }).excluded).toBe(false);
    const newer = evaluateBuildExclusive(c, { ...x86, kernel: "6.12.107+deb12-amd64" });
    expect(newer.reasons).toEqual(['BUILD_EXCLUSIVE_KERNEL="^(5\\.|6\\.[0-5]\\.)" does not match 6.12.107+deb12-amd64']);
    expect(evaluateBuildExclusive(c, { arch: "aarch64", kernel: "6.1.0-56-arm64" }).reasons).toEqual([
      'BUILD_EXCLUSIVE_ARCH="x86_64|i.86" does not match aarch64',
    ]);
  });

  it("POSIX bracket classes work; an invalid regex excludes", () => {
    const c = parseDkmsConf('BUILD_EXCLUSIVE_KERNEL="^6\\.[[:digit:]]+\\."');
    expect(evaluateBuildExclusive(c, { ...x86, kernel: "6.12.107+deb12-amd64" }).excluded).toBe(false);
    const bad = parseDkmsConf('BUILD_EXCLUSIVE_KERNEL="REQUIRES CONFIG_VIDEO_DEV("');
    expect(evaluateBuildExclusive(bad, { ...x86, kernel: "6.1.0-56-amd64" }).excluded).toBe(true);
  });

  it("KERNEL_MAX covers every patch release of the named series", () => {
    const c = parseDkmsConf("BUILD_EXCLUSIVE_KERNEL_MAX=6.6");
    expect(evaluateBuildExclusive(c, { ...x86, kernel: "6.6.58-1-lts" }).excluded).toBe(false);
    expect(evaluateBuildExclusive(c, { ...x86, kernel: "6.1.0-56-amd64" }).excluded).toBe(false);
    expect(evaluateBuildExclusive(c, { ...x86, kernel: "6.12.107+deb12-amd64" }).reasons).toEqual([
      "BUILD_EXCLUSIVE_KERNEL_MAX=6.6 excludes 6.12.107+deb12-amd64",
    ]);
  });

  it("conditional rules are left to dkms (v4l2loopback, OpenZFS 2.1.11)", () => {
    for (const text of [V4L2LOOPBACK, ZFS_2111]) {
      expect(evaluateBuildExclusive(parseDkmsConf(text), { ...x86, kernel: "6.1.0-56-rt-amd64", config: RT_CONFIG }).excluded).toBe(false);
    }
  });
});

describe("kernel bounds, META and slugs", () => {
  it("compares only the components the bound names", () => {
    expect(compareKernelToBound("6.14.3", "6.14")).toBe(0);
    expect(compareKernelToBound("6.15.0-1-amd64", "6.14")).toBe(1);
    expect(compareKernelToBound("4.9.0-13-amd64", "4.18")).toBe(-1);
    expect(compareKernelToBound("6.1.0-56-amd64", "6.1.0")).toBe(0);
    expect(compareKernelToBound("next-20240610", "6.1")).toBeNull();
  });

  it("reads OpenZFS META and prefers dkms.conf bounds", () => {
    const meta = "Meta:         1\nName:         zfs\nVersion:      2.3.2\nLinux-Maximum: 6.14\nLinux-Minimum: 4.18\n";
    expect(parseMetaLinuxRange(meta)).toEqual({ min: "4.18", max: "6.14" });
    expect(declaredRange(parseDkmsConf(ZFS_232), meta)).toEqual({ min: "4.18", max: "6.14" });
    expect(declaredRange(parseDkmsConf("BUILD_EXCLUSIVE_KERNEL_MIN=5.4"), meta)).toEqual({ min: "5.4", max: "6.14" });
    expect(declaredRange(parseDkmsConf(ZFS_2111), "Linux-Maximum: 6.2\nLinux-Minimum: 3.10\n")).toEqual({ min: "3.10", max: "6.2" });
    expect(declaredRange(null, null)).toEqual({});
  });

  it("lower-cases PACKAGE_NAME into a schema-valid slug", () => {
    expect(moduleSlugFromName("v4l2loopback")).toBe("v4l2loopback");
    expect(moduleSlugFromName("OpenRazer Driver")).toBe("openrazer-driver");
    expect(moduleSlugFromName("librem_ec_acpi")).toBe("librem_ec_acpi");
    expect(moduleSlugFromName("_x")).toBe("x");
  });
});
