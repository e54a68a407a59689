#!/usr/bin/env bash
# Configures and builds mcp-host into build/ (host at build/bin/mcp-host, plugins in build/plugins).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
GENERATOR=()
command -v ninja >/dev/null 2>&1 && GENERATOR=(-G Ninja)
# Extra arguments are CMake cache settings (-DNAME=VALUE); configuring again is cheap.
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  cmake -S . -B "$BUILD_DIR" "${GENERATOR[@]}" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" "$@"
elif [ $# -gt 0 ]; then
  cmake -S . -B "$BUILD_DIR" "$@" >/dev/null
fi
# MCPH_BUILD_TARGET: one target instead of everything (run.sh: mcph_runnable, the host and
# its plugins without the test suites).
echo "build: cmake --build $BUILD_DIR${MCPH_BUILD_TARGET:+ --target $MCPH_BUILD_TARGET}"
cmake --build "$BUILD_DIR" -j "$(nproc)" ${MCPH_BUILD_TARGET:+--target "$MCPH_BUILD_TARGET"}
