#!/usr/bin/env bash
# Installs what building and testing mcp-host needs on Debian 12 (run as root or with sudo).
# Idempotent: packages already present are not fetched again. Says what it installs and why,
# and lets apt and npm show their progress.
#   MCPH_SETUP_NODE=0         no Node.js test tooling (npm)
#   MCPH_SETUP_SANITIZERS=0   no clang sanitizer/fuzzing runtime
#   MCPH_SETUP_TESTS=0        no debootstrap (the package test's clean Debian 12 root)
set -euo pipefail
cd "$(dirname "$0")/.."

# Keep npm quiet and off the network beyond the registry itself.
export DO_NOT_TRACK=1 npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

APT_PACKAGES=(build-essential cmake ninja-build pkg-config git
              libpoco-dev libboost-dev libboost-filesystem-dev libssl-dev libsqlite3-dev
              libgtest-dev googletest openssl curl)
WANT_NODE=${MCPH_SETUP_NODE:-1}
# The sanitizer and fuzzing build of the test run (clang with its ASan/UBSan/libFuzzer runtime);
# the run command does not need it.
if [ "${MCPH_SETUP_SANITIZERS:-1}" = 1 ]; then
  APT_PACKAGES+=(clang libclang-rt-14-dev)
fi
# The package test installs the .deb into a clean Debian 12 root it makes with debootstrap.
if [ "${MCPH_SETUP_TESTS:-1}" = 1 ]; then
  APT_PACKAGES+=(debootstrap)
fi
# Test tooling: promtool (package prometheus) checks the admin listener's /metrics exposition;
# nginx runs the README's reverse-proxy example in front of the host; redis-server backs the
# shared-store tests; haproxy balances three instances in the scale-out test. The run command
# needs none of them.
if [ "$WANT_NODE" = 1 ]; then
  APT_PACKAGES+=(prometheus nginx redis-server haproxy)
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The system's Node only runs npm; the tests themselves run on the pinned Node 22 below.
if [ "$WANT_NODE" = 1 ]; then
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
fi

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: ${#missing[@]} Debian package(s) to install: ${missing[*]}"
  echo "setup: [1/2] apt-get update"
  $SUDO apt-get update
  echo "setup: [2/2] apt-get install (compiler, CMake, Poco, Boost, OpenSSL, SQLite, GoogleTest, ...)"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "setup: the ${#APT_PACKAGES[@]} Debian packages needed are installed"
fi

if [ "$WANT_NODE" = 1 ]; then
  # Test tooling only: the official MCP TypeScript SDK client, the MCP conformance suite and
  # the benchmark baseline.
  # Node.js 22 from the npm registry (scripts/node22) runs the tests whatever the system has.
  for dir in scripts/node22 tests/node tests/conformance bench/baseline; do
    if [ -f "$dir/package-lock.json" ] && { [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; }; then
      echo "setup: npm ci in $dir ($(grep -c '"node_modules/' "$dir/package-lock.json") packages from the npm registry)"
      npm ci --prefix "$dir" --no-audit --no-fund
    fi
  done
fi
