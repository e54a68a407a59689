#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a full test run: installs what is missing,
# builds once, runs every suite (unit, integration, ABI, the official TypeScript SDK client),
# then builds once more with clang's AddressSanitizer, LeakSanitizer and UBSan (the `asan`
# preset) to run the unit and integration suites under them and each libFuzzer target for a
# bounded time (MCPH_FUZZ_SECONDS, default 20). MCPH_SANITIZERS=0 skips that second half.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The Node test suites run on the pinned Node.js 22 that setup.sh installed.
bash scripts/build.sh -DMCPH_NODE_EXECUTABLE="$PWD/scripts/node22/node_modules/node/bin/node"
export DO_NOT_TRACK=1 npm_config_update_notifier=false
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "$(nproc)" --timeout 300

if [ "${MCPH_SANITIZERS:-1}" = 1 ]; then
  echo "test: sanitizer build (build-asan)"
  cmake --preset asan >/dev/null
  cmake --build --preset asan
  ctest --preset asan -j "$(nproc)"
  MCPH_FUZZ_SECONDS=${MCPH_FUZZ_SECONDS:-20} bash tests/fuzz/run_fuzzers.sh build-asan
fi
