#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running host: installs what is missing,
# builds, and starts mcp-host on its embedded defaults (http://127.0.0.1:8080/mcp, the example
# plugins, no auth, loopback only). Extra arguments go to mcp-host (e.g. --config etc/mcp-host.json).
set -euo pipefail
cd "$(dirname "$0")/.."
MCPH_SETUP_NODE=0 MCPH_SETUP_SANITIZERS=0 bash scripts/setup.sh
bash scripts/build.sh
exec build/bin/mcp-host "$@"
