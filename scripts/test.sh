#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a full test run: installs what is missing,
# builds once, runs every suite (unit, integration, ABI, the official TypeScript SDK client).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The Node test suites run on the pinned Node.js 22 that setup.sh installed.
bash scripts/build.sh -DMCPH_NODE_EXECUTABLE="$PWD/scripts/node22/node_modules/node/bin/node"
export DO_NOT_TRACK=1 npm_config_update_notifier=false
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "$(nproc)" --timeout 300
