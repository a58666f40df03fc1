/**
 * Median build time (ms) per module on the demo machine (2 cores), from data/demo/debian12-dkms.json
 * by medianCosts() in lib/domain/build-cost.ts; tests/unit/shard.test.ts recomputes it from the file.
 * Unknown modules cost the median of these medians. Only relative costs matter for sharding.
 */
import type { CostTable } from "../domain/build-cost";

export const DEMO_BUILD_COSTS: CostTable = {
  perModule: {
    "acpi-call": 4860,
    "adv-17v35x": 2998,
    "bbswitch": 2405,
    "dahdi": 118607,
    "ddcci": 5330,
    "digimend": 4545,
    "dm-writeboost": 5351,
    "dpdk-kmods": 4066,
    "evdi": 16028,
    "ezurio-qcacld-2.0": 196224,
    "gost-crypto": 21017,
    "ipt-netflow": 32883,
    "jool-dkms": 115333,
    "langford": 2182,
    "librem_ec_acpi": 2105,
    "lime-forensics": 9441,
    "linux-apfs-rw": 10462,
    "lttng-modules": 8870,
    "nat-rtsp": 6368,
    "nvidia-current-open": 108131,
    "openafs": 376054,
    "openrazer-driver": 2359,
    "ovpn-dco": 17860,
    "rapiddisk-dkms": 3721,
    "rtpengine": 6828,
    "scap": 24365,
    "tp_smapi": 6779,
    "v4l2loopback": 5183,
    "vpoll": 2774,
    "xtables-addons": 51470,
    "xtrx": 3106,
    "zfs": 595076,
  },
  fallbackMs: 6828,
};
