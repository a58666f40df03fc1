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
  --phases LIST       comma-separated subset of fast,slow,extra,merge (default: all four, in order)
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
PHASES="fast,slow,extra,merge"
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
  [[ -n $v ]] && printf '{"package":"linux-headers-%s","version":"%s"},' "$k" "$v"
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
    *) echo "make-demo.sh: unknown phase $phase" >&2; exit 2 ;;
  esac
done
log "done: $OUT"
