#!/usr/bin/env bash
# Benchmark of open GET streams: mcp-host (its default limits, no auth) against the official
# TypeScript SDK server (bench/baseline/server.mjs), each holding N concurrent sessions with
# their GET SSE streams open, one server at a time on this machine.
#
#   bench/streams.sh [BUILD_DIR]     (default: build)
#
# Knobs (environment): STREAMS=10000 SERVERS="host baseline" TIMEOUT=300 READY_TIMEOUT=20.
# Needs BUILD_DIR/bin/mcp-host, BUILD_DIR/plugins, BUILD_DIR/bin/mcph_bench_streams and, for the
# baseline, bench/baseline/node_modules (npm ci --prefix bench/baseline). The open-file limit's
# hard value must allow STREAMS + 600 descriptors per process (both sides raise their soft
# limit to it). For each server it prints the client's JSON line (opened, refused, still open,
# tools/call latency on a new session while every stream is open, the server's RSS), then a
# table and the RSS ratio. Only 127.0.0.1 is contacted; every wait is bounded.
set -euo pipefail
export DO_NOT_TRACK=1 npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-build}"
[[ "$BUILD" = /* ]] || BUILD="$ROOT/$BUILD"
STREAMS="${STREAMS:-10000}"
SERVERS="${SERVERS:-host baseline}"
TIMEOUT="${TIMEOUT:-300}"
READY_TIMEOUT="${READY_TIMEOUT:-20}"
HOST_BIN="$BUILD/bin/mcp-host"
CLIENT="$BUILD/bin/mcph_bench_streams"
BASELINE_DIR="$ROOT/bench/baseline"

die() { echo "bench/streams.sh: $*" >&2; exit 1; }
[[ -x "$HOST_BIN" && -x "$CLIENT" ]] || die "build the targets mcp-host and mcph_bench_streams"
[[ "$STREAMS" =~ ^[1-9][0-9]{0,4}$ ]] || die "STREAMS must be 1..99999"
for s in $SERVERS; do [[ "$s" =~ ^(host|baseline)$ ]] || die "bad SERVERS entry '$s'"; done
ulimit -n "$(ulimit -Hn)"
(( $(ulimit -n) >= STREAMS + 600 )) || die "open-file limit $(ulimit -n) is below STREAMS + 600"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mcph-streams.XXXXXX")"
SERVER_PID=""
cleanup() {
  [[ -n "$SERVER_PID" ]] && kill -KILL "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cat >"$WORK/host.json" <<JSON
{"server":{"host":"127.0.0.1","port":0},"plugins":{"dir":"$BUILD/plugins"},"auth":{"provider":"none"}}
JSON

start_server() {
  local which="$1" out="$WORK/$1.out"
  : >"$out"
  case "$which" in
    host) "$HOST_BIN" --config "$WORK/host.json" >"$out" 2>"$WORK/$which.err" & ;;
    baseline) (cd "$BASELINE_DIR" && exec node server.mjs --json-response) >"$out" 2>"$WORK/$which.err" & ;;
  esac
  SERVER_PID=$!
  SERVER_URL=""
  local deadline=$((SECONDS + READY_TIMEOUT))
  while ((SECONDS < deadline)); do
    SERVER_URL="$(sed -n 's|^.* listening on \(http://127\.0\.0\.1:[0-9]*/mcp\)$|\1|p' "$out" | head -n1)"
    [[ -n "$SERVER_URL" ]] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
  done
  cat "$WORK/$which.err" >&2
  die "$which did not start within ${READY_TIMEOUT}s"
}

stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 400; i++)); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.05; done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

for which in $SERVERS; do
  start_server "$which"
  echo "bench: $which: opening $STREAMS streams" >&2
  "$CLIENT" --url "$SERVER_URL" --streams "$STREAMS" --pid "$SERVER_PID" --timeout "$TIMEOUT" \
    >"$WORK/$which.json" || echo "bench: $which: the calls failed (see call_problem)" >&2
  stop_server
  echo "  $which: $(cat "$WORK/$which.json")" >&2
done

node - "$WORK" $SERVERS <<'JS'
const [work, ...servers] = process.argv.slice(2);
const fs = require('fs');
const r = Object.fromEntries(servers.map((s) => [s, JSON.parse(fs.readFileSync(`${work}/${s}.json`, 'utf8'))]));
const names = { host: 'mcp-host', baseline: 'TS SDK (stateful)' };
console.log('| server | streams | opened | refused/failed | still open | tools/call p50 (ms) | max (ms) | RSS (MiB) |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const s of servers) {
  const x = r[s];
  console.log(`| ${names[s]} | ${x.streams} | ${x.opened} | ${x.refused}/${x.failed} | ${x.still_open} | ` +
    `${x.call_ms_p50.toFixed(2)} | ${x.call_ms_max.toFixed(2)} | ${(x.server_rss_kib / 1024).toFixed(0)} |`);
}
if (r.host && r.baseline) {
  console.log(`\nRSS mcp-host / TS SDK: ${(r.host.server_rss_kib / r.baseline.server_rss_kib).toFixed(3)}×`);
}
JS
