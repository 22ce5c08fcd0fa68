#!/usr/bin/env bash
# Installs the Debian 12 packages Cartable needs to build, test and run, and only those missing.
# Uses sudo when not root. Safe to run again: it does nothing when everything is present.
set -euo pipefail

build_packages=(
  cmake ninja-build g++ pkg-config make
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsodium-dev libsqlite3-dev libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  openssl tzdata
)
test_packages=(chromium clang libclang-rt-14-dev wrk curl)

wanted=("${build_packages[@]}")
if [ "${1:-}" = "--with-tests" ]; then
  wanted+=("${test_packages[@]}")
fi

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

# Node.js and npm build the web UI. Some machines carry them from outside Debian (the nodejs package
# then ships npm itself), so they are looked for as commands rather than as packages.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing missing Debian packages: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
