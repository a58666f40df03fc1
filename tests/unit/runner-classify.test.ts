import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { classifyBuild, missingHeader, rejudgeStored, type BuildFacts } from "../../lib/runner/classify";

/** Real logs captured from `dkms build` runs on Debian 12 (see tests/fixtures/logs/README.md). */
const FIX = path.join(__dirname, "..", "fixtures", "logs");
const fixture = (name: string) => readFileSync(path.join(FIX, name), "utf8");

function facts(over: Partial<BuildFacts>): BuildFacts {
  return { kernel: "6.12.107+deb12-amd64", exitCode: 10, viaDkms: true, output: "", makeLog: null, ...over };
}

describe("classifyBuild on real captured logs", () => {
  const table: Array<{ name: string; f: BuildFacts; status: string; errorLine: string | RegExp | null; rule?: string }> = [
    {
      name: "v4l2loopback 0.12.7 on 6.1.0-56: dkms exit 0 → pass",
      f: facts({ kernel: "6.1.0-56-amd64", exitCode: 0, output: fixture("v4l2loopback-0.12.7-6.1.0-56-pass.out") }),
      status: "pass",
      errorLine: null,
    },
    {
      name: "v4l2loopback 0.12.7 on 6.12 (strlcpy removed in 6.8): compiler error → fail",
      f: facts({
        output: fixture("v4l2loopback-0.12.7-6.12.107-strlcpy.out"),
        makeLog: fixture("v4l2loopback-0.12.7-6.12.107-strlcpy.make.log"),
      }),
      status: "fail",
      errorLine: "implicit declaration of function 'strlcpy'",
      rule: "compile-error",
    },
    {
      name: "OpenZFS 2.1.11 on 6.12: configure finds no fallocate interface, kernel above 3.10 - 6.2 → skip",
      f: facts({
        output: fixture("zfs-2.1.11-6.12.107-configure-fallocate.out"),
        makeLog: fixture("zfs-2.1.11-6.12.107-configure-fallocate.make.log"),
      }),
      status: "skip",
      errorLine: "configure: kernel 6.12.107+deb12-amd64 is outside the supported range 3.10 - 6.2 (no 'file_fallocate' interface)",
      rule: "configure-refusal",
    },
    {
      name: "the same configure failure on a kernel inside the declared range is a real incompatibility → fail",
      f: facts({
        kernel: "6.1.0-56-amd64",
        output: fixture("zfs-2.1.11-6.12.107-configure-fallocate.out"),
        makeLog: fixture("zfs-2.1.11-6.12.107-configure-fallocate.make.log"),
      }),
      status: "fail",
      errorLine: "configure: none of the expected 'file_fallocate' interfaces were detected",
    },
    {
      name: "OpenZFS 2.1.11 on an rt kernel: dkms.conf's conditional BUILD_EXCLUSIVE_KERNEL, dkms exit 77 → skip",
      f: facts({ kernel: "6.1.0-56-rt-amd64", exitCode: 77, output: fixture("zfs-2.1.11-6.1.0-56-rt-build-exclusive.out") }),
      status: "skip",
      errorLine: /BUILD_EXCLUSIVE/,
      rule: "build-exclusive-dkms",
    },
    {
      name: "ddcci 0.4.2 on the cloud kernel (no I2C): dkms.conf sets BUILD_EXCLUSIVE_ARCH conditionally, exit 77 → skip with its reason",
      f: facts({
        kernel: "6.12.107+deb12-cloud-amd64",
        exitCode: 77,
        output: fixture("ddcci-0.4.2-6.12.107-cloud-build-exclusive.out"),
        conditionalExclusive: ["BUILD_EXCLUSIVE_ARCH"],
      }),
      status: "skip",
      errorLine:
        "dkms.conf BUILD_EXCLUSIVE rule (conditional BUILD_EXCLUSIVE_ARCH) excludes this kernel: BACKLIGHT_CLASS_DEVICE disabled in this kernel, not building module; I2C disabled in this kernel, not building module",
      rule: "build-exclusive-dkms",
    },
    {
      name: "iptables-netflow 2.6: its PRE_BUILD configure finds no iptables binary, then make has no target → error (environment)",
      f: facts({
        kernel: "6.1.0-56-amd64",
        output: fixture("ipt-netflow-2.6-6.1.0-56-no-iptables.out"),
        makeLog: fixture("ipt-netflow-2.6-6.1.0-56-no-iptables.make.log"),
      }),
      status: "error",
      errorLine: "missing tool: iptables (no iptables binary found)",
      rule: "environment",
    },
    {
      name: "iptables-netflow 2.6 on 6.12 with libxtables-dev: configure still says 'no iptables binary found' but carries on; asm/unaligned.h is gone → fail",
      f: facts({
        kernel: "6.12.117+deb12-amd64",
        output: fixture("ipt-netflow-2.6-6.12.117-unaligned.out"),
        makeLog: fixture("ipt-netflow-2.6-6.12.117-unaligned.make.log"),
      }),
      status: "fail",
      errorLine: "asm/unaligned.h: No such file or directory",
      rule: "compile-error",
    },
  ];
  for (const t of table) {
    it(t.name, () => {
      const c = classifyBuild(t.f);
      expect(c.status).toBe(t.status);
      if (t.errorLine instanceof RegExp) expect(c.errorLine).toMatch(t.errorLine);
      else expect(c.errorLine).toBe(t.errorLine);
      if (t.rule) expect(c.rule).toBe(t.rule);
    });
  }
});

describe("classifyBuild decisions made before or around the build", () => {
  it("missing headers directory → error, not a crash", () => {
    const c = classifyBuild(facts({ kernel: "6.99.0-1-amd64", headersMissing: true, exitCode: null }));
    expect(c).toEqual({
      status: "error",
      errorLine: "kernel headers not installed: /lib/modules/6.99.0-1-amd64/build does not exist",
      rule: "headers-missing",
    });
  });

  it("static BUILD_EXCLUSIVE exclusion → skip with the rule as reason", () => {
    const c = classifyBuild(
      facts({ kernel: "6.1.0-56-rt-amd64", exitCode: null, excludedBy: ["BUILD_EXCLUSIVE_CONFIG=!CONFIG_PREEMPT_RT excludes this kernel (CONFIG_PREEMPT_RT=y)"] }),
    );
    expect(c.status).toBe("skip");
    expect(c.errorLine).toBe("BUILD_EXCLUSIVE_CONFIG=!CONFIG_PREEMPT_RT excludes this kernel (CONFIG_PREEMPT_RT=y)");
  });

  it("timeout → error, whatever the partial log says", () => {
    const c = classifyBuild(
      facts({ exitCode: null, timedOut: true, timeoutSeconds: 1200, makeLog: fixture("v4l2loopback-0.12.7-6.12.107-strlcpy.make.log") }),
    );
    expect(c).toEqual({ status: "error", errorLine: "timed out after 1200 s", rule: "timeout" });
  });

  it("dkms failing for another reason than the build (exit ≠ 10, no diagnostics) → error", () => {
    const c = classifyBuild(facts({ exitCode: 4, output: "Error! Could not locate dkms.conf file.\nFile: /x/dkms.conf does not exist." }));
    expect(c.status).toBe("error");
    expect(c.errorLine).toBe("dkms: Could not locate dkms.conf file.");
  });

  it("a spawn failure of the runner itself → error", () => {
    expect(classifyBuild(facts({ exitCode: null, runnerError: "spawn dkms ENOENT" })).status).toBe("error");
  });
});

describe("environment versus kernel API (log lines as gcc, make and sh print them)", () => {
  const env = (line: string, where: "output" | "makeLog" = "makeLog") =>
    classifyBuild(facts(where === "output" ? { output: line } : { makeLog: `DKMS make.log\n${line}\nmake: *** [Makefile:10: all] Error 2\n` }));

  it.each([
    ["/tmp/x/build/tools/elf.c:3:10: fatal error: libelf.h: No such file or directory", "missing userspace header: libelf.h"],
    ["bpf/probe.c:1:10: fatal error: bpf/libbpf.h: No such file or directory", "missing userspace header: bpf/libbpf.h"],
    ["/bin/sh: 1: bc: not found", "missing tool: bc (not found)"],
    ["./configure: line 42: autoreconf: command not found", "missing tool: autoreconf (command not found)"],
    ["Package libnl-3.0 was not found in the pkg-config search path.", "missing pkg-config package: libnl-3.0"],
    ["No package 'libmnl' found", "missing pkg-config package: libmnl"],
    ["make: gcc-13: No such file or directory", "missing tool: gcc-13"],
  ])("%s → error", (line, reason) => {
    const c = env(line);
    expect(c.status).toBe("error");
    expect(c.errorLine).toBe(reason);
  });

  it("configure failing on a missing tool → error", () => {
    const c = env("configure: error: python3 not found, cannot continue", "output");
    expect(c).toMatchObject({ status: "error", errorLine: "configure: python3 not found, cannot continue" });
  });

  it.each([
    ["/tmp/b/src/dev.c:14:10: fatal error: asm/unaligned.h: No such file or directory", "asm/unaligned.h: No such file or directory"],
    ["/tmp/b/src/blk.c:5:10: fatal error: linux/genhd.h: No such file or directory", "linux/genhd.h: No such file or directory"],
  ])("missing kernel header %s → fail (kernel API change)", (line, errorLine) => {
    const c = env(line);
    expect(c.status).toBe("fail");
    expect(c.errorLine).toBe(errorLine);
  });

  it("modpost undefined symbols → fail", () => {
    const c = env('ERROR: modpost: "iommu_present" [/tmp/b/evdi.ko] undefined!');
    expect(c.status).toBe("fail");
    expect(c.errorLine).toBe("modpost: 'iommu_present' undefined!");
  });

  it("the earliest cause wins: a missing tool before compiler errors blames the environment", () => {
    const c = classifyBuild(facts({ makeLog: "/bin/sh: 1: bison: not found\nfoo.c:1:2: error: expected ';'\n" }));
    expect(c.status).toBe("error");
  });

  it("missingHeader tells kernel headers from userspace ones", () => {
    expect(missingHeader("x.c:1:10: fatal error: linux/genhd.h: No such file or directory")).toEqual({ header: "linux/genhd.h", kernel: true, standard: false });
    expect(missingHeader("x.c:1:10: fatal error: ‘zlib.h’: No such file or directory")).toEqual({ header: "zlib.h", kernel: false, standard: false });
    expect(missingHeader("x.c:1:10: fatal error: stdbool.h: No such file or directory")).toEqual({ header: "stdbool.h", kernel: false, standard: true });
    expect(missingHeader("x.c:1:10: error: foo")).toBeNull();
  });
});

describe("a C standard header the kernel's build no longer provides", () => {
  // dahdi 2.11.1 (bullseye's dahdi-dkms) on Debian's 6.1.0-57: real make.log lines. Linux 5.15
  // stopped passing gcc's own include directory, so <stdbool.h> is gone for every module.
  const LOG = [
    "  CC [M]  /tmp/b/dkms/dahdi/2.11.1/build/drivers/dahdi/wct4xxp/base.o",
    "/tmp/b/dkms/dahdi/2.11.1/build/drivers/dahdi/wct4xxp/base.c:45:10: fatal error: stdbool.h: No such file or directory",
    "   45 | #include <stdbool.h>",
    "      |          ^~~~~~~~~~~",
    "compilation terminated.",
    "make[3]: *** [/usr/src/linux-headers-6.1.0-57-common/scripts/Makefile.build:255: base.o] Error 1",
  ].join("\n");

  it("is the module failing, not a missing package", () => {
    expect(classifyBuild(facts({ makeLog: LOG }))).toMatchObject({ status: "fail", rule: "compile-error" });
  });
  it("a result an older runner stored as an environment error is judged again from its log; others stay as recorded", () => {
    const old = { status: "error" as const, errorLine: "missing userspace header: stdbool.h", log: LOG };
    expect(rejudgeStored(old)).toMatchObject({ status: "fail", errorLine: "stdbool.h: No such file or directory" });
    expect(rejudgeStored(old).errorLine).toBe(classifyBuild(facts({ makeLog: LOG })).errorLine);
    const libelf = { status: "error" as const, errorLine: "missing userspace header: libelf.h", log: "x.c:3:10: fatal error: libelf.h: No such file or directory" };
    expect(rejudgeStored(libelf)).toBe(libelf);
    const failed = { status: "fail" as const, errorLine: "implicit declaration of function 'strlcpy'", log: "" };
    expect(rejudgeStored(failed)).toBe(failed);
  });
});

describe("configure refusals", () => {
  // The exact text of OpenZFS config/kernel.m4 (ZFS_AC_KERNEL, 2.3.2) when the kernel is past
  // Linux-Maximum; no kernel newer than 6.14 is packaged for Debian 12, so this one is not captured.
  const REFUSAL = `checking kernel source version... 6.15.2-1-amd64
configure: error:
	*** Cannot build against kernel version 6.15.2-1-amd64.
	*** The maximum supported kernel version is 6.14.
`;
  it("OpenZFS 'Cannot build against kernel version' → skip", () => {
    const c = classifyBuild(facts({ kernel: "6.15.2-1-amd64", output: REFUSAL, makeLog: "make: *** No targets specified and no makefile found.  Stop.\n" }));
    expect(c).toEqual({
      status: "skip",
      errorLine: "configure refuses kernel 6.15.2-1-amd64; the maximum supported kernel version is 6.14",
      rule: "configure-refusal",
    });
  });
});

describe("a module header the kernel's build system no longer finds", () => {
  // IET 0.4.17 on 7.2: kernel/Makefile adds its include dir with EXTRA_CFLAGS, which kbuild dropped.
  const log = "/var/tmp/b/src/iscsitarget-0.4.17/kernel/iscsi.h:19:10: fatal error: iet_u.h: No such file or directory";
  const facts = (moduleHeaders?: string[]): BuildFacts => ({ kernel: "7.2.12+deb13-amd64", exitCode: 2, viaDkms: false, output: log, moduleHeaders });

  it("is the module failing when the header is one of its own", () => {
    expect(classifyBuild(facts(["include/iet_u.h", "kernel/iscsi.h"]))).toMatchObject({ status: "fail", rule: "compile-error" });
  });
  it("stays an environment error when it is not (a userspace package is missing)", () => {
    expect(classifyBuild(facts(["kernel/iscsi.h"]))).toMatchObject({ status: "error", errorLine: "missing userspace header: iet_u.h" });
    expect(classifyBuild(facts())).toMatchObject({ status: "error" });
  });
});
