#!/usr/bin/env bash
# Debian packages the browser and DKMS tests need: chromium, dkms, mmdebstrap and two real kernel header sets
# (Debian 12's 6.1.0-56 and 6.12.107). Installs them when root with apt; otherwise says what is
# missing, and the tests that need them report themselves as skipped.
set -uo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v dkms >/dev/null 2>&1 || need+=(dkms)
# the build-environment test makes a bullseye chroot with mmdebstrap
command -v mmdebstrap >/dev/null 2>&1 || need+=(mmdebstrap)
for k in 6.1.0-56-amd64 6.12.107+deb12-amd64; do
  [ -e "/lib/modules/$k/build" ] || need+=("linux-headers-$k")
done
# The DKMS test downloads the v4l2loopback-dkms source with `apt-get download`: it needs apt lists.
lists_ok=1
command -v apt-cache >/dev/null 2>&1 && ! apt-cache policy v4l2loopback-dkms 2>/dev/null | grep -q 'Candidate: [0-9]' && lists_ok=0
if [ ${#need[@]} -eq 0 ] && [ $lists_ok = 1 ]; then
  echo "all present"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "missing (no apt-get here): ${need[*]}"
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "missing (not root, not installing): ${need[*]}"
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || true
[ ${#need[@]} -eq 0 ] && { echo "apt lists updated"; exit 0; }
echo "installing: ${need[*]}"
apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/modcompat-apt.log 2>&1 || { tail -20 /tmp/modcompat-apt.log; exit 1; }
echo "installed"
