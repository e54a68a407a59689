#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running host: installs what is missing,
# builds the host and the example plugins (not the test suites), and starts mcp-host on its
# embedded defaults: http://127.0.0.1:8080/mcp, the example plugins, the `local` provider (the
# host's own sign-in page; the first start writes var/users.json and the password of "admin" to
# var/admin-password). Extra arguments go to mcp-host (e.g. --config etc/no-auth.json).
set -euo pipefail
cd "$(dirname "$0")/.."
MCPH_SETUP_NODE=0 MCPH_SETUP_SANITIZERS=0 MCPH_SETUP_TESTS=0 bash scripts/setup.sh
MCPH_BUILD_TARGET=mcph_runnable bash scripts/build.sh
exec "${BUILD_DIR:-build}/bin/mcp-host" "$@"
