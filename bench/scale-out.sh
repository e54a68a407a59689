#!/usr/bin/env bash
# Three mcp-host instances behind HAProxy (packaging/haproxy/mcp-host.cfg as shipped, only the
# bind line and server addresses replaced) sharing Redis, against one instance reached directly
# and one behind the same HAProxy, on this machine: authenticated tools/call (a token the hosts
# issued, bench/sign-in.mjs), closed loop, no pinning. On 2 cores the hosts, HAProxy, Redis and
# the load generator share two CPUs, so this shows what the balancer and the shared state cost
# here, not how far more machines carry it.
#
#   bench/scale-out.sh [BUILD_DIR]     (default: build; needs mcp-host, plugins, mcph_loadgen)
#
# Knobs: CONNECTIONS=64 DURATION=5 RUNS=2. Only 127.0.0.1 and Unix sockets are used.
set -euo pipefail
export DO_NOT_TRACK=1 npm_config_update_notifier=false

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-build}"
[[ "$BUILD" = /* ]] || BUILD="$ROOT/$BUILD"
CONNECTIONS="${CONNECTIONS:-64}"
DURATION="${DURATION:-5}"
RUNS="${RUNS:-2}"
die() { echo "bench/scale-out.sh: $*" >&2; exit 1; }
[[ "$CONNECTIONS" =~ ^[1-9][0-9]{0,3}$ ]] || die "CONNECTIONS must be 1..9999"
[[ "$DURATION" =~ ^[1-9][0-9]?$ ]] || die "DURATION must be 1..99 seconds"
[[ "$RUNS" =~ ^[1-9]$ ]] || die "RUNS must be 1..9"
for tool in redis-server haproxy node; do command -v "$tool" >/dev/null || die "$tool not found"; done
[[ -x "$BUILD/bin/mcp-host" && -x "$BUILD/bin/mcph_loadgen" ]] || die "build mcp-host and mcph_loadgen in $BUILD"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mcph-scale.XXXXXX")"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for TEST: polls TEST every 50 ms for up to 20 s.
wait_for() {
  local i
  for ((i = 0; i < 400; i++)); do eval "$1" && return 0; sleep 0.05; done
  return 1
}
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

redis-server --port 0 --unixsocket "$WORK/redis.sock" --dir "$WORK" --save '' --appendonly no \
  --loglevel warning --daemonize no >"$WORK/redis.out" 2>&1 &
PIDS+=($!)
wait_for '[[ -S "$WORK/redis.sock" ]]' || die "redis-server did not start"

FRONT_PORT="$(free_port)"
PUBLIC="http://127.0.0.1:$FRONT_PORT"
node "$ROOT/bench/sign-in.mjs" users "$WORK/users.json"
HOST_PORTS=()
for i in 1 2 3; do
  cat >"$WORK/host$i.json" <<JSON
{"server":{"host":"127.0.0.1","port":0,"publicUrl":"$PUBLIC","trustedProxies":["127.0.0.1"],
           "stateDir":"$WORK"},
 "mcp":{"path":"/mcp","maxSessionsPerUser":4096,
        "requestStateSecret":"bench-request-state-secret-0123456789abcdef"},
 "logging":{"accessLog":false},"admin":{"enabled":false},
 "plugins":{"dir":"$BUILD/plugins","settings":{}},
 "auth":{"provider":"local","users":"$WORK/users.json"},
 "redis":{"url":"unix://$WORK/redis.sock","signingKeySecret":"bench-signing-key-secret-0123456789abcdef"}}
JSON
  "$BUILD/bin/mcp-host" --config "$WORK/host$i.json" >"$WORK/host$i.out" 2>"$WORK/host$i.err" &
  PIDS+=($!)
  wait_for "grep -q 'bound to' '$WORK/host$i.out'" || die "host $i did not start: $(cat "$WORK/host$i.err")"
  HOST_PORTS+=("$(sed -n 's/.*bound to 127.0.0.1 port \([0-9]*\)).*/\1/p' "$WORK/host$i.out")")
done

# The shipped file with its bind line and server lines replaced; global and defaults as
# Debian's haproxy.cfg has them, minus the log (a log line per request is the log's cost).
haproxy_config() {  # haproxy_config N: a backend of the first N instances
  printf 'global\n    maxconn 4096\n\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 50s\n    timeout server 50s\n\n'
  sed -e "s|^    bind :80$|    bind 127.0.0.1:$FRONT_PORT|" -e '/^    server h[0-9] /d' \
    "$ROOT/packaging/haproxy/mcp-host.cfg"
  local i
  for ((i = 1; i <= $1; i++)); do echo "    server h$i 127.0.0.1:${HOST_PORTS[$((i - 1))]}"; done
}
HAPROXY_PID=""
start_haproxy() {
  haproxy_config "$1" >"$WORK/haproxy.cfg"
  haproxy -c -q -f "$WORK/haproxy.cfg" || die "haproxy refused the config"
  haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.out" 2>&1 &
  HAPROXY_PID=$!
  PIDS+=("$HAPROXY_PID")
  wait_for "node -e 'require(\"net\").connect($FRONT_PORT,\"127.0.0.1\").on(\"connect\",()=>process.exit(0)).on(\"error\",()=>process.exit(1))'" ||
    die "haproxy did not listen"
}
stop_haproxy() { kill -TERM "$HAPROXY_PID"; wait "$HAPROXY_PID" 2>/dev/null || true; }

# One token, issued through the balancer: every instance honours it (shared key and grants).
start_haproxy 3
node "$ROOT/bench/sign-in.mjs" token "$PUBLIC/mcp" "$WORK/token"
stop_haproxy

load() {  # load LABEL URL
  "$BUILD/bin/mcph_loadgen" --url "$2" --connections "$CONNECTIONS" --requests 1000000 \
    --duration "$DURATION" --warmup 1 --warmup-requests 1000 --bearer-file "$WORK/token" --label "$1"
}
: >"$WORK/results.jsonl"
for ((run = 1; run <= RUNS; run++)); do
  load "one instance, direct" "http://127.0.0.1:${HOST_PORTS[0]}/mcp" >>"$WORK/results.jsonl"
  start_haproxy 1
  load "one instance behind HAProxy" "$PUBLIC/mcp" >>"$WORK/results.jsonl"
  stop_haproxy
  start_haproxy 3
  load "three instances behind HAProxy" "$PUBLIC/mcp" >>"$WORK/results.jsonl"
  stop_haproxy
done

node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const median = (v) => { v = [...v].sort((a, b) => a - b); const m = v.length >> 1; return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2; };
const labels = [...new Set(lines.map((l) => l.label))];
const rows = labels.map((label) => { const r = lines.filter((l) => l.label === label);
  return { label, rps: median(r.map((x) => x.throughput_rps)), p50: median(r.map((x) => x.latency_ms_p50)),
           p99: median(r.map((x) => x.latency_ms_p99)), errors: r.reduce((n, x) => n + x.errors, 0) }; });
const base = rows[0].rps;
console.log(`tools/call with a token the hosts issued, ${process.argv[2]} connections, median of ${process.argv[3]} runs, 2 cores shared by everything\n`);
console.log("| setup | throughput (req/s) | against one instance direct | p50 (ms) | p99 (ms) | errors |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const r of rows) console.log(`| ${r.label} | ${r.rps.toFixed(0)} | ${(r.rps / base).toFixed(2)}× | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} |`);
' "$WORK/results.jsonl" "$CONNECTIONS" "$RUNS"
