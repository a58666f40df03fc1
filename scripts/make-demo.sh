#!/usr/bin/env bash
# Build the ModCompat demo from real builds: every Debian 12 *-dkms package version (main, contrib,
# backports) × a selection of Debian 12 kernel header sets, written to data/demo/debian12-dkms.json.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: sudo scripts/make-demo.sh [options]

Builds every Debian 12 *-dkms package version apt knows (bookworm main, contrib, bookworm-backports;
OpenZFS zfs-dkms 2.1.11 and 2.3.2 included) against Debian 12 kernel headers with
`modcompat build`, and writes data/demo/debian12-dkms.json (an ingest body the app loads as its demo).
Nothing is installed except dkms and the header packages; modules are unpacked and built in
private throw-away DKMS trees.

Options:
  --add-apt-sources   add /etc/apt/sources.list.d/modcompat-extra.sources (contrib of bookworm and
                      bookworm-backports, main of bookworm-backports; mirror taken from
                      /etc/apt/sources.list.d/debian.sources) and run apt-get update. Without it,
                      only what the configured sources offer is built.
  --no-install        do not apt-get install dkms, the header packages and BUILD_DEPS
  --all-headers       install every installable linux-headers-6.1.0-NN-amd64 and
                      linux-headers-6.12.*+deb12-amd64 (the runs still use the selection below)
  --jobs N            builds at once (default 2)
  --timeout MIN       time limit per build in minutes (default 20)
  --phases LIST       comma-separated phases (default: envs,iet,zfs-refusals,wide,wide-merge,bisect,wide-merge,zfs,wide-slow,wide-merge,kernel-api):
                        Debian 12 only (data/demo/debian12-dkms.json): fast, slow, extra, merge
                        every suite (data/demo/debian-wide-dkms.json, data/demo/iet-*.json):
                          envs, iet, zfs-refusals, wide, bisect, zfs, wide-slow, wide-merge (see "Every suite" below)
  --out FILE          default data/demo/debian12-dkms.json
  --state FILE        JSONL state; results are appended as they finish and a rerun resumes from it
                      (default /var/tmp/modcompat-demo/state.jsonl)
  -h, --help

Kernel selection (2-core machine, demo wanted within about an hour; measured: the fast modules
take 2–10 s per build, OpenZFS 3–8 min, OpenAFS about 4 min per kernel):
  fast phase: every module except the slow ones × FAST_KERNELS, every Debian 12 amd64 ABI the
      archive still serves: 6.1.0-47, -50, -53, -54, -55, -56 (-amd64) and 6.12.95, .107, .111,
      .113, .115, .117 (+deb12-amd64), plus 6.1.0-56-rt-amd64 and 6.12.107+deb12-cloud-amd64
  slow phase: zfs-dkms, openafs-modules-dkms, lttng-modules-dkms, nvidia-open-kernel-dkms,
      ezurio-qcacld-2.0-dkms (minutes per kernel; qcacld about 10) × SLOW_KERNELS:
      6.1.0-56-amd64, 6.12.107+deb12-amd64, 6.1.0-56-rt-amd64 (in that package order, so the
      most wanted ones finish first)
  extra phase: the slow modules × EXTRA_KERNELS (6.1.0-47-amd64, 6.12.117+deb12-amd64) when time allows
  merge phase: writes one ingest body holding every result in the state file (run after each phase too).
Every suite (bullseye, bookworm + backports, trixie + backports, sid, experimental; main + contrib),
looked up in a private apt state under the work directory (the system's apt sources are untouched):
  envs: chroots for the kernels the host's gcc 12 cannot build for (`modcompat env create`:
      bullseye gcc 10, trixie gcc 14, sid gcc 16) with their header packages; host headers for bookworm.
  wide: every *-dkms package version of every suite (not the slow ones) × the newest ABI of every
      kernel series of every suite (5.10, 6.1, 6.12+deb12, 6.12+deb13, 7.2+deb13, 7.2+deb14, 7.3+deb13)
      and the experimental rc (7.3~rc7, reported as 7.3-rc7-amd64).
  iet: the IET (iSCSI Enterprise Target) history in ../shared/data/iet/ (0.4.17, 1.4.18, 1.4.19, SVN
      trunk r273) × every kernel with headers, compiled as Kbuild trees (make M=kernel): their
      dkms.conf uses SUBDIRS=, which kbuild dropped in 5.3. One data/demo/iet-<version>.json each.
  bisect: the same module versions × every ABI of each series that has several (5.10.0-30/32,
      6.1.0-47 … 57, 6.12.107/117+deb13, 7.2.6 … 12+deb13) with --bisect: where the ends differ,
      the first bad ABI is found in about log2(n) builds.
  zfs-refusals: each OpenZFS version on every kernel past its declared range (META Linux-Maximum):
      configure refuses in about 30 s (skip results).
  zfs: each OpenZFS version (10–30 min a build) on the newest kernel of each series inside its
      declared range, one kernel per version per round, newest series first.
  wide-slow: OpenAFS, LTTng, NVIDIA open, qcacld, VirtualBox × the newest kernel of each series.
  wide-merge: writes data/demo/debian-wide-dkms.json from the committed state
      data/demo/state/debian-wide.jsonl. The state is committed after each phase, so a later session
      (on any machine) resumes instead of rebuilding.
  kernel-api: the API snapshot of every installed kernel (`modcompat kernel-api export`), one file
      each in data/demo/kernel-api/ (about 0.5 MiB and 2–6 s a kernel).
bisect: BISECT_PACKAGES (space-separated *-dkms names; default every fast one).
OpenZFS phases: ZFS_SPECS (an extended regex the zfs-dkms=version specs must match), ZFS_ROUNDS
(kernels per version, default 8), ZFS_REFUSALS=0 (zfs: skip the refusal builds).
Override with the environment variables FAST_KERNELS, SLOW_KERNELS, EXTRA_KERNELS, SLOW_PACKAGES,
BUILD_DEPS (userspace packages installed with dkms; default: the build tools the *-dkms packages
declare in their Depends: gawk libelf-dev libxtables-dev pkg-config xtables-addons-common).
EOF
}

ADD_SOURCES=0
INSTALL=1
ALL_HEADERS=0
JOBS=2
TIMEOUT=20
PHASES="envs,iet,zfs-refusals,wide,wide-merge,bisect,wide-merge,zfs,wide-slow,wide-merge,kernel-api"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/data/demo/debian12-dkms.json"
STATE="/var/tmp/modcompat-demo/state.jsonl"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --add-apt-sources) ADD_SOURCES=1 ;;
    --no-install) INSTALL=0 ;;
    --all-headers) ALL_HEADERS=1 ;;
    --jobs) JOBS="$2"; shift ;;
    --timeout) TIMEOUT="$2"; shift ;;
    --phases) PHASES="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --state) STATE="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "make-demo.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [[ $(id -u) -ne 0 ]]; then
  echo "make-demo.sh: must run as root (it installs dkms and kernel header packages, and dkms/apt need root); try: sudo $0 $*" >&2
  exit 1
fi

FAST_KERNELS=${FAST_KERNELS:-"6.1.0-47-amd64 6.1.0-50-amd64 6.1.0-53-amd64 6.1.0-54-amd64 6.1.0-55-amd64 6.1.0-56-amd64 6.12.95+deb12-amd64 6.12.107+deb12-amd64 6.12.111+deb12-amd64 6.12.113+deb12-amd64 6.12.115+deb12-amd64 6.12.117+deb12-amd64 6.1.0-56-rt-amd64 6.12.107+deb12-cloud-amd64"}
SLOW_KERNELS=${SLOW_KERNELS:-"6.1.0-56-amd64 6.12.107+deb12-amd64 6.1.0-56-rt-amd64"}
EXTRA_KERNELS=${EXTRA_KERNELS:-"6.1.0-47-amd64 6.12.117+deb12-amd64"}
BUILD_DEPS=${BUILD_DEPS:-"gawk libelf-dev libxtables-dev pkg-config xtables-addons-common"}
SLOW_PACKAGES=${SLOW_PACKAGES:-"zfs-dkms openafs-modules-dkms lttng-modules-dkms nvidia-open-kernel-dkms ezurio-qcacld-2.0-dkms"}
export DEBIAN_FRONTEND=noninteractive CHECKPOINT_DISABLE=1

log() { echo "[make-demo $(date -u +%H:%M:%S)] $*" >&2; }

# --- apt sources -------------------------------------------------------------------------------
if [[ $ADD_SOURCES -eq 1 ]]; then
  SRC=/etc/apt/sources.list.d/debian.sources
  URI=$(awk '/^URIs:/ { print $2; exit }' "$SRC" 2>/dev/null || true)
  if [[ -z "$URI" ]]; then
    echo "make-demo.sh: cannot find a URIs: line in $SRC" >&2
    exit 1
  fi
  log "adding contrib + bookworm-backports from $URI"
  cat >/etc/apt/sources.list.d/modcompat-extra.sources <<EOF
Types: deb
URIs: $URI
Suites: bookworm bookworm-backports
Components: contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $URI
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # An identical stanza under another name (PLATFORM.md calls it extra.sources) would duplicate entries.
  if [[ -f /etc/apt/sources.list.d/extra.sources ]] && cmp -s /etc/apt/sources.list.d/extra.sources /etc/apt/sources.list.d/modcompat-extra.sources; then
    rm -f /etc/apt/sources.list.d/modcompat-extra.sources
  fi
  apt-get update -q
fi

# --- packages ------------------------------------------------------------------------------------
all_kernels() { printf '%s\n' $FAST_KERNELS $SLOW_KERNELS $EXTRA_KERNELS | sort -u; }
if [[ $INSTALL -eq 1 ]]; then
  # dkms, the header sets, and the userspace build dependencies some *-dkms packages declare in
  # their Depends (dahdi: gawk; dpdk-kmods: libelf-dev; iptables-netflow, west-chamber: libxtables-dev,
  # pkg-config; xtables-addons: xtables-addons-common). iptables itself is not declared by
  # iptables-netflow-dkms and is left out on purpose: that build shows up as an environment `error`.
  pkgs=(dkms $BUILD_DEPS)
  for k in $(all_kernels); do pkgs+=("linux-headers-$k"); done
  if [[ $ALL_HEADERS -eq 1 ]]; then
    while read -r p; do pkgs+=("$p"); done < <(apt-cache search --names-only '^linux-headers-(6\.1\.0-[0-9]+|6\.12\.[0-9]+\+deb12)-amd64$' | awk '{ print $1 }')
  fi
  installable=()
  for p in "${pkgs[@]}"; do
    if apt-cache show "$p" >/dev/null 2>&1; then installable+=("$p"); else log "not available from apt: $p (skipped)"; fi
  done
  log "installing ${installable[*]}"
  apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=900 "${installable[@]}"
fi

# Every *-dkms package version apt offers (dh-dkms is the debhelper add-on, not a module).
versions_of() { apt-cache madison "$1" | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | sort -u; }
fast_specs=()
slow_specs=()
for p in $(apt-cache search --names-only -- '-dkms$' | awk '{ print $1 }' | grep -vx dh-dkms | sort); do
  [[ " $SLOW_PACKAGES " == *" $p "* ]] && continue
  for v in $(versions_of "$p"); do fast_specs+=("$p=$v"); done
done
for p in $SLOW_PACKAGES; do
  for v in $(versions_of "$p"); do slow_specs+=("$p=$v"); done
done
log "${#fast_specs[@]} fast and ${#slow_specs[@]} slow module package versions"

mkdir -p "$(dirname "$STATE")" "$(dirname "$OUT")"
META=$(dirname "$STATE")/meta.json
RUN_ID_FILE=$(dirname "$STATE")/run-id
[[ -s $RUN_ID_FILE ]] || echo "debian12-dkms-$(date -u +%Y%m%dT%H%M%SZ)" >"$RUN_ID_FILE"
RUN_ID=$(cat "$RUN_ID_FILE")

header_json=$(for k in $(all_kernels); do
  v=$(dpkg-query -W -f='${Version}' "linux-headers-$k" 2>/dev/null || true)
  if [[ -n $v ]]; then printf '{"package":"linux-headers-%s","version":"%s"},' "$k" "$v"; fi
done | sed 's/,$//')
words_json() { printf '"%s",' "$@" | sed 's/,$//'; }
cat >"$META" <<EOF
{"demo": {
  "generatedBy": "scripts/make-demo.sh",
  "description": "Every Debian 12 *-dkms package version (bookworm main + contrib + bookworm-backports) built with dkms in private trees against Debian 12 kernel headers",
  "kernelSelection": {
    "fastModules": [$(words_json $FAST_KERNELS)],
    "slowModules": [$(words_json $SLOW_KERNELS)],
    "extra": [$(words_json $EXTRA_KERNELS)],
    "slowPackages": [$(words_json $SLOW_PACKAGES)],
    "why": "2-core build host and a one-hour budget: the fast modules run on every Debian 12 amd64 header ABI still served plus one rt and one cloud flavour; the slow ones (OpenZFS, OpenAFS, LTTng, NVIDIA open, Ezurio qcacld: minutes per kernel) on fewer kernels"
  },
  "headerPackages": [$header_json],
  "timeoutMinutes": $TIMEOUT,
  "jobs": $JOBS
}}
EOF

modcompat() { (cd "$ROOT" && npx --no-install modcompat "$@"); }
kernel_args() { for k in "$@"; do printf -- '--kernel\n%s\n' "$k"; done; }
module_args() { for m in "$@"; do printf -- '--module\n%s\n' "$m"; done; }
common=(--jobs "$JOBS" --timeout "$TIMEOUT" --resume "$STATE" --log-max-bytes 4096 --source debian12-dkms --run-id "$RUN_ID" --meta "$META")
build_only=(--logs-dir "$(dirname "$STATE")/logs")

merge() {
  log "merge: writing $OUT from $STATE"
  mapfile -t margs < <(module_args "${fast_specs[@]}" "${slow_specs[@]}"; kernel_args $(printf '%s\n' $FAST_KERNELS $EXTRA_KERNELS $SLOW_KERNELS | awk '!seen[$0]++'))
  modcompat build "${margs[@]}" "${common[@]}" --no-build --out "$OUT"
  ls -l "$OUT" >&2
}


# --- every suite ---------------------------------------------------------------------------------
WIDE_STATE="$ROOT/data/demo/state/debian-wide.jsonl"
WIDE_OUT="$ROOT/data/demo/debian-wide-dkms.json"
WIDE_RUN_ID_FILE="$ROOT/data/demo/state/debian-wide.run-id"
WORK=$(dirname "$STATE")
APT_DIR="$WORK/apt"
WIDE_SLOW=${WIDE_SLOW:-"openafs-modules-dkms lttng-modules-dkms nvidia-open-kernel-dkms ezurio-qcacld-2.0-dkms virtualbox-dkms"}
# dkms's own package and its self-test fixtures are not modules
NOT_MODULES="dh-dkms dkms dkms-test-dkms dkms-noautoinstall-test-dkms dkms-replace-test-dkms"

private_apt() {
  local uri sec
  uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || echo http://deb.debian.org/debian)
  sec=$(awk '/^URIs:.*security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  mkdir -p "$APT_DIR/parts" "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
  {
    printf 'Types: deb\nURIs: %s\nSuites: bullseye bookworm bookworm-updates bookworm-backports trixie trixie-updates trixie-backports sid experimental\n' "$uri"
    printf 'Components: main contrib\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    if [[ -n $sec ]]; then
      printf '\nTypes: deb\nURIs: %s\nSuites: bullseye-security bookworm-security trixie-security\n' "$sec"
      printf 'Components: main contrib\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    fi
  } >"$APT_DIR/parts/all.sources"
  {
    printf 'Dir::Etc::SourceList "/dev/null";\nDir::Etc::SourceParts "%s/parts";\n' "$APT_DIR"
    printf 'Dir::State::Lists "%s/lists";\nDir::Cache "%s/cache";\nAcquire::Check-Valid-Until "false";\n' "$APT_DIR" "$APT_DIR"
    # Docker-style images turn apt's binary cache off; without it every apt-cache call takes seconds
    printf 'Dir::Cache::pkgcache "pkgcache.bin";\nDir::Cache::srcpkgcache "srcpkgcache.bin";\n'
  } >"$APT_DIR/apt.conf"
  if [[ ! -s "$APT_DIR/updated" ]]; then
    log "private apt state for every suite in $APT_DIR"
    APT_CONFIG="$APT_DIR/apt.conf" apt-get update -q >&2
    date -u +%FT%TZ >"$APT_DIR/updated"
  fi
}
wapt() { APT_CONFIG="$APT_DIR/apt.conf" "$@"; }

# Generic amd64 header packages with the suite that serves each: "<package> <version> <suite>".
# Left out: flavours (-rt, -cloud), bullseye's 6.1 backport (6.1.0-0.deb11.N), and the metapackages
# named after a series alone (linux-headers-6.1-amd64), except experimental's, which is the rc itself.
header_table() {
  wapt apt-cache search --names-only '^linux-headers-[0-9][0-9.+~a-z-]*-amd64$' | awk '{ print $1 }' |
    grep -Ev -- '-(rt|cloud)-amd64$|\.deb[0-9]+\.[0-9]+-amd64$' | while read -r p; do
      wapt apt-cache madison "$p" | awk -F'|' -v p="$p" '{ gsub(/ /, "", $2); split($3, a, " "); split(a[2], s, "/"); print p, $2, s[1] }' | head -1
    done | awk '$1 !~ /^linux-headers-[0-9]+\.[0-9]+-amd64$/ || $3 == "experimental"'
}
# Series line of a header package: 5.10 / 6.1 (ABI numbers) / 6.12+deb12 / 7.3-rc (experimental).
line_of() {
  local rel=${1#linux-headers-}; rel=${rel%-amd64}
  case "$rel" in
    *+deb*) sed -E 's/^([0-9]+\.[0-9]+)\.[0-9]+\+(deb[0-9]+)(\.[0-9]+)?$/\1+\2/' <<<"$rel" ;;
    *.0-[0-9]*) echo "${rel%.0-*}" ;;
    *) echo "$rel-rc" ;;
  esac
}
env_of_suite() {
  case "$1" in
    bullseye*) echo bullseye ;;
    bookworm*) echo host ;;
    trixie*) echo trixie ;;
    sid|experimental) echo sid ;;
    *) echo unknown ;;
  esac
}
# "<line> <package> <suite> <version>" for every generic header package, by line then version.
kernel_lines() {
  if [[ ! -s "$WORK/kernel-lines.txt" || "$APT_DIR/updated" -nt "$WORK/kernel-lines.txt" ]]; then
    header_table | while read -r p v suite; do echo "$(line_of "$p") $p $suite $v"; done | sort -k1,1V -k2,2V >"$WORK/kernel-lines.txt"
  fi
  cat "$WORK/kernel-lines.txt"
}
newest_per_line() { kernel_lines | awk '{ if (!($1 in last)) order[++n] = $1; last[$1] = $2 " " $3 } END { for (i = 1; i <= n; i++) print order[i], last[order[i]] }'; }
newest_kernels() { newest_per_line | while read -r line p suite; do echo "${p#linux-headers-}"; done; }

# Built first, so an interrupted run has the modules people ask about most (the rest follow by name).
WIDE_FIRST=${WIDE_FIRST:-"v4l2loopback-dkms evdi-dkms ddcci-dkms openrazer-driver-dkms wireguard-dkms jool-dkms xtables-addons-dkms iptables-netflow-dkms tp-smapi-dkms acpi-call-dkms openvpn-dco-dkms"}

# pkg=version of every *-dkms package of every suite: "fast" (default) or "slow" ones
wide_specs() {
  local want=${1:-fast}
  for p in $( (printf '%s\n' $WIDE_FIRST; wapt apt-cache search --names-only -- '-dkms$' | awk '{ print $1 }' | sort) | awk '!seen[$0]++'); do
    wapt apt-cache show "$p" >/dev/null 2>&1 || continue
    [[ " $NOT_MODULES " == *" $p "* ]] && continue
    local kind=fast
    [[ " $WIDE_SLOW zfs-dkms spl-dkms " == *" $p "* ]] && kind=slow
    [[ $kind != "$want" ]] && continue
    for v in $(wapt apt-cache madison "$p" | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | sort -u); do echo "$p=$v"; done
  done
}

wide_common() {
  mkdir -p "$(dirname "$WIDE_STATE")"
  [[ -s $WIDE_RUN_ID_FILE ]] || echo "debian-wide-$(date -u +%Y%m%d)" >"$WIDE_RUN_ID_FILE"
  WIDE_META="$WORK/wide-meta.json"
  local lines
  lines=$(newest_per_line | awk '{ printf "%s{\"line\":\"%s\",\"package\":\"%s\",\"suite\":\"%s\"}", (NR>1?",":""), $1, $2, $3 }')
  cat >"$WIDE_META" <<EOF
{"demo": {
  "generatedBy": "scripts/make-demo.sh (phases envs, wide, bisect, zfs, wide-slow)",
  "description": "Every *-dkms package version of Debian bullseye, bookworm (+ backports), trixie (+ backports), sid and experimental, built with dkms in private trees against the newest kernel headers of every series of every suite, each in an environment whose gcc matches the headers (the bookworm host, or mmdebstrap chroots of bullseye, trixie and sid: see meta.kernels[].environment)",
  "aptStateUpdated": "$(cat "$APT_DIR/updated" 2>/dev/null)",
  "kernelLines": [$lines],
  "why": "2-core build host: every module version on the newest ABI of each series; --bisect inside series with several ABIs; OpenZFS (10-30 min a build) only on the newest kernel of each series inside its declared range and on the first outside it"
}}
EOF
  WIDE_COMMON=(--jobs "$JOBS" --timeout "$TIMEOUT" --resume "$WIDE_STATE" --log-max-bytes 4096 --source debian-wide-dkms --run-id "$(cat "$WIDE_RUN_ID_FILE")" --meta "$WIDE_META" --logs-dir "$WORK/wide-logs")
}

phase_envs() {
  private_apt
  declare -A want=()
  local line p suite v e
  while read -r line p suite v; do
    e=$(env_of_suite "$suite")
    want[$e]+=" $p"
  done < <(kernel_lines)
  for e in "${!want[@]}"; do
    [[ $e == unknown ]] && continue
    if [[ $e == host ]]; then
      # bookworm-backports kernels are not in the host's own sources: install what the host serves
      local inst=()
      for p in ${want[$e]}; do apt-cache show "$p" >/dev/null 2>&1 && inst+=("$p"); done
      log "host headers: ${inst[*]}"
      [[ $INSTALL -eq 1 ]] && apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=900 dkms "${inst[@]}" >&2
      continue
    fi
    local args=()
    for p in ${want[$e]}; do args+=(--headers "$p"); done
    log "environment $e:${want[$e]}"
    modcompat env create "$e" "${args[@]}" >&2
  done
}

phase_wide() {
  private_apt; wide_common
  mapfile -t specs < <(wide_specs fast)
  mapfile -t kernels < <(newest_kernels)
  log "phase wide: ${#specs[@]} module package versions × ${#kernels[@]} kernels: ${kernels[*]}"
  mapfile -t args < <(module_args "${specs[@]}"; kernel_args "${kernels[@]}")
  APT_CONFIG="$APT_DIR/apt.conf" modcompat build "${args[@]}" "${WIDE_COMMON[@]}"
}

phase_bisect() {
  private_apt; wide_common
  # BISECT_PACKAGES: only these packages' versions (default: every fast one)
  mapfile -t specs < <(wide_specs fast | if [[ -n ${BISECT_PACKAGES:-} ]]; then grep -E "^($(tr -s ' ' '\n' <<<"$BISECT_PACKAGES" | grep . | paste -sd'|'))="; else cat; fi)
  # every ABI of the lines that have several (the host only has what its own sources serve)
  mapfile -t kernels < <(kernel_lines | awk '{ n[$1]++; k[$1] = k[$1] " " $2 } END { for (l in n) if (n[l] > 1) print k[l] }' | tr ' ' '\n' | sed -n 's/^linux-headers-//p' | while read -r k; do
    if [[ -e /lib/modules/$k/build ]] || compgen -G "${MODCOMPAT_ENVS_DIR:-/var/cache/modcompat/envs}/*/root/lib/modules/$k" >/dev/null; then echo "$k"; fi
  done)
  log "phase bisect: ${#specs[@]} module package versions × ${#kernels[@]} kernels (the ends of each series; the middle only where they differ)"
  mapfile -t args < <(module_args "${specs[@]}"; kernel_args "${kernels[@]}")
  APT_CONFIG="$APT_DIR/apt.conf" modcompat build --bisect "${args[@]}" "${WIDE_COMMON[@]}"
}

phase_iet() {
  local src="$ROOT/../shared/data/iet" dir="$WORK/iet"
  [[ -d $src ]] || { log "no IET sources in $src: skipped"; return; }
  mkdir -p "$dir" "$ROOT/data/demo/state"
  for t in "$src"/iscsitarget-*.tar.gz; do tar -xzf "$t" -C "$dir"; done
  local entry v d date svn
  for entry in "0.4.17:iscsitarget-0.4.17:2008-11-30:tags/0.4.17" "1.4.18:iscsitarget-1.4.18:2009-10-05:tags/1.4.18" \
    "1.4.19:iscsitarget-1.4.19:2009-11-15:tags/1.4.19" "1.4.19+svn273:iscsitarget-trunk-r273:2010-01-05:trunk@273"; do
    IFS=: read -r v d date svn <<<"$entry"
    cat >"$WORK/iet-meta.json" <<EOF
{"demo": {"generatedBy": "scripts/make-demo.sh (phase iet)",
  "description": "IET, the iSCSI Enterprise Target, from its SVN history ($svn, last changed $date; ../shared/data/iet/$d.tar.gz, origin in shared/data/SOURCES.md). Never merged into Linux. Compiled as a plain Kbuild tree (make M=kernel): its dkms.conf passes SUBDIRS=, which kbuild removed in Linux 5.3",
  "svnPath": "$svn", "lastCommit": "$date"}}
EOF
    log "phase iet: $v ($d)"
    modcompat build --module "$dir/$d" --name iscsitarget --version "$v" --kbuild-dir kernel --all-installed \
      --jobs "$JOBS" --timeout "$TIMEOUT" --resume "$ROOT/data/demo/state/iet.jsonl" --log-max-bytes 4096 \
      --source iet-svn-history --run-id "iet-$v" --meta "$WORK/iet-meta.json" --out "$ROOT/data/demo/iet-$v.json"
  done
}

# OpenZFS: its META Linux-Maximum says which series it accepts. zfs-refusals builds each version on
# every kernel past its maximum (configure refuses in about 30 s: skip results); zfs builds the
# newest kernel of each series inside the range, newest series first (10–30 min each).
phase_zfs_refusals() { ZFS_ONLY_REFUSALS=1 phase_zfs; }
phase_zfs() {
  private_apt; wide_common
  local deb_dir="$WORK/zfs-debs" spec max deb l line p suite series
  mkdir -p "$deb_dir"; chmod 777 "$deb_dir"
  mapfile -t lines < <(newest_per_line)
  for spec in $(wide_specs slow | grep '^zfs-dkms=' | grep -E -- "${ZFS_SPECS:-.}"); do
    rm -f "$deb_dir"/*.deb
    (cd "$deb_dir" && wapt apt-get download -q "$spec" >/dev/null 2>&1) || true
    # a version the archive index names but no longer serves (404) is skipped
    deb=$(ls "$deb_dir"/*.deb 2>/dev/null | head -1 || true)
    [[ -z $deb ]] && { log "zfs $spec: cannot download it; skipped"; continue; }
    max=$(dpkg-deb --fsys-tarfile "$deb" 2>/dev/null | tar -xO --wildcards './usr/src/zfs-*/META' 2>/dev/null | awk '/^Linux-Maximum:/ { print $2 }' || true)
    [[ -z $max ]] && { log "zfs $spec: no META Linux-Maximum; skipped"; continue; }
    local inside=() outside=()
    for l in "${lines[@]}"; do
      read -r line p suite <<<"$l"
      series=${line%%[+-]*}
      if [[ $(printf '%s\n%s\n' "$series" "$max" | sort -V | tail -1) == "$max" ]]; then inside+=("${p#linux-headers-}"); else outside+=("$series ${p#linux-headers-}"); fi
    done
    echo "$spec|$max|$(printf '%s\n' "${outside[@]}" | sort -V | awk '{ print $2 }' | tr '\n' ' ')|$(printf '%s\n' "${inside[@]}" | tac | tr '\n' ' ')"
  done >"$WORK/zfs-plan.txt"
  log "phase zfs: plan (spec|Linux-Maximum|kernels outside|kernels inside, newest first):"; cat "$WORK/zfs-plan.txt" >&2
  local out inside_list k round
  # the refusals first, one kernel per version per round, newest kernel first: newer releases refuse
  # in about 30 s ("the maximum supported kernel version is …"); 2.0.x only after probing for ~10 min
  for round in $(seq 1 "${ZFS_ROUNDS:-8}"); do
    [[ ${ZFS_REFUSALS:-1} == 0 ]] && break
    while IFS='|' read -r spec max out inside_list; do
      k=$(tr ' ' '\n' <<<"$out" | grep . | tac | sed -n "${round}p")
      [[ -n $k ]] && { APT_CONFIG="$APT_DIR/apt.conf" modcompat build --module "$spec" --kernel "$k" "${WIDE_COMMON[@]}" || true; }
    done <"$WORK/zfs-plan.txt"
  done
  [[ -n ${ZFS_ONLY_REFUSALS:-} ]] && return
  for round in $(seq 1 "${ZFS_ROUNDS:-8}"); do
    while IFS='|' read -r spec max out inside_list; do
      k=$(awk -v n="$round" '{ print $n }' <<<"$inside_list")
      [[ -n $k ]] && { APT_CONFIG="$APT_DIR/apt.conf" modcompat build --module "$spec" --kernel "$k" "${WIDE_COMMON[@]}" || true; }
    done <"$WORK/zfs-plan.txt"
  done
}

phase_wide_slow() {
  private_apt; wide_common
  mapfile -t specs < <(wide_specs slow | grep -v '^zfs-dkms=\|^spl-dkms=')
  mapfile -t kernels < <(newest_kernels)
  log "phase wide-slow: ${#specs[@]} slow module package versions × ${#kernels[@]} kernels"
  mapfile -t args < <(module_args "${specs[@]}"; kernel_args "${kernels[@]}")
  APT_CONFIG="$APT_DIR/apt.conf" modcompat build "${args[@]}" "${WIDE_COMMON[@]}"
}

# kernel releases with a build tree, on the host and in the build environments
installed_kernels() {
  local d
  for d in /lib/modules/*/build "${MODCOMPAT_ENVS_DIR:-/var/cache/modcompat/envs}"/*/root/lib/modules/*/build; do
    [[ -e $d || -L $d ]] && basename "$(dirname "$d")"
  done | sort -u
}

phase_wide_merge() {
  private_apt; wide_common
  [[ -s $WIDE_STATE ]] || { log "wide-merge: nothing in $WIDE_STATE yet"; return; }
  mapfile -t specs < <(wide_specs fast; wide_specs slow)
  # every kernel the state has results for, so the merge names each with its package and date
  mapfile -t kernels < <(node -e 'const fs=require("fs");const s=new Set();for(const l of fs.readFileSync(process.argv[1],"utf8").split("\n")){if(!l.trim())continue;try{s.add(JSON.parse(l).result.kernel)}catch{}}console.log([...s].join("\n"))' "$WIDE_STATE")
  # and every other kernel with headers here (host and build environments), so each is named with its
  # package and release date even where only the Debian 12 demo (data/demo/debian12-dkms.json) built
  # on it; an rc's release name ("7.3-amd64") is left out, the state names it by its identity
  mapfile -t -O "${#kernels[@]}" kernels < <(installed_kernels | grep -vxF -f <(printf '%s\n' "${kernels[@]}") | grep -vE '^[0-9]+\.[0-9]+-[a-z]' || true)
  log "wide-merge: writing $WIDE_OUT from $WIDE_STATE (${#kernels[@]} kernels)"
  mapfile -t args < <(module_args "${specs[@]}"; kernel_args "${kernels[@]}")
  APT_CONFIG="$APT_DIR/apt.conf" modcompat build "${args[@]}" "${WIDE_COMMON[@]}" --no-build --out "$WIDE_OUT"
  ls -l "$WIDE_OUT" >&2
}

# The kernel API snapshots of every installed kernel (host and build environments), one file each.
phase_kernel_api() {
  log "phase kernel-api: data/demo/kernel-api/<kernel>.txt.gz"
  modcompat kernel-api export --out "$ROOT/data/demo/kernel-api"
}

for phase in ${PHASES//,/ }; do
  case "$phase" in
    fast)
      log "phase fast: ${#fast_specs[@]} module versions × $(wc -w <<<"$FAST_KERNELS") kernels"
      mapfile -t args < <(module_args "${fast_specs[@]}"; kernel_args $FAST_KERNELS)
      modcompat build "${args[@]}" "${common[@]}" "${build_only[@]}"
      merge ;;
    slow)
      log "phase slow: ${#slow_specs[@]} module versions × $(wc -w <<<"$SLOW_KERNELS") kernels"
      mapfile -t args < <(module_args "${slow_specs[@]}"; kernel_args $SLOW_KERNELS)
      modcompat build "${args[@]}" "${common[@]}" "${build_only[@]}"
      merge ;;
    extra)
      log "phase extra: ${#slow_specs[@]} slow module versions × $(wc -w <<<"$EXTRA_KERNELS") more kernels"
      mapfile -t args < <(module_args "${slow_specs[@]}"; kernel_args $EXTRA_KERNELS)
      modcompat build "${args[@]}" "${common[@]}" "${build_only[@]}"
      merge ;;
    merge) merge ;;
    envs) phase_envs ;;
    wide) phase_wide ;;
    iet) phase_iet ;;
    bisect) phase_bisect ;;
    zfs-refusals) phase_zfs_refusals ;;
    zfs) phase_zfs ;;
    wide-slow) phase_wide_slow ;;
    wide-merge) phase_wide_merge ;;
    kernel-api) phase_kernel_api ;;
    *) echo "make-demo.sh: unknown phase $phase" >&2; exit 2 ;;
  esac
done
log "done: $OUT"
