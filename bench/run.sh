#!/usr/bin/env bash
# Benchmark of tools/call (echo): mcp-host against a bare Poco HTTPServer (the floor) and the
# official TypeScript SDK server, on this machine, one server at a time, alternating, each
# measurement in a fresh server process.
#
#   bench/run.sh [BUILD_DIR]        (default: build)
#
# Needs BUILD_DIR/bin/mcp-host, BUILD_DIR/plugins, BUILD_DIR/bin/mcph_loadgen,
# BUILD_DIR/bin/mcph_bench_floor (when SERVERS has floor) and the baseline's npm dependencies
# (npm ci --prefix bench/baseline, when SERVERS has a baseline). It builds nothing itself.
# Knobs (environment): CONNECTIONS="1 64" RUNS=3 REQUESTS=100000 DURATION=10 WARMUP=2
# WARMUP_REQUESTS=2000 READY_TIMEOUT=20 SERVERS="host floor baseline baseline-json" PIN=0.
# Servers: host-store-sqlite / host-store-redis = mcp-host as its own authorization server
# (provider local) with its store in SQLite / in Redis (started here, on the load generator's
# CPU), every call carrying a token it issued (bench/sign-in.mjs); host = mcp-host without auth; host-auth = mcp-host verifying a JWT (ES256) against
# a local issuer's JWKS (bench/issuer.mjs) on every call; host-401 = the same host answering
# calls that carry no token (401 and its challenge); host-isolated = mcp-host without auth with
# echo in a worker process (plugins.overrides."echo.so".isolation "process": the isolation
# overhead per call, against host); floor = bare Poco HTTPServer with a fixed answer (bench/floor.cpp);
# baseline = TS SDK with its defaults (answers POSTs as SSE); baseline-json = TS SDK with
# enableJsonResponse. PIN=1: each server on CPU 0 and the load generator on CPU 1 (taskset).
# Only 127.0.0.1 is contacted.
# Writes bench/results/<UTC date-time>.json and prints a markdown table of medians and ratios.
set -euo pipefail

export DO_NOT_TRACK=1 npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-build}"
[[ "$BUILD" = /* ]] || BUILD="$ROOT/$BUILD"
CONNECTIONS="${CONNECTIONS:-1 64}"
RUNS="${RUNS:-3}"
REQUESTS="${REQUESTS:-100000}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-2}"
WARMUP_REQUESTS="${WARMUP_REQUESTS:-2000}"
READY_TIMEOUT="${READY_TIMEOUT:-20}"
SERVERS="${SERVERS:-host floor baseline baseline-json}"
PIN="${PIN:-0}"

HOST_BIN="$BUILD/bin/mcp-host"
PLUGINS_DIR="$BUILD/plugins"
LOADGEN="$BUILD/bin/mcph_loadgen"
FLOOR_BIN="$BUILD/bin/mcph_bench_floor"
BASELINE_DIR="$ROOT/bench/baseline"

die() { echo "bench/run.sh: $*" >&2; exit 1; }
[[ -x "$HOST_BIN" ]] || die "$HOST_BIN not found: build the target mcp-host"
[[ -d "$PLUGINS_DIR" ]] || die "$PLUGINS_DIR not found: build the plugins"
[[ -x "$LOADGEN" ]] || die "$LOADGEN not found: build the target mcph_loadgen"
[[ "$RUNS" =~ ^[1-9][0-9]?$ ]] || die "RUNS must be 1..99"
for v in REQUESTS DURATION WARMUP WARMUP_REQUESTS READY_TIMEOUT; do
  [[ "${!v}" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "$v must be a number, got '${!v}'"
done
[[ "$READY_TIMEOUT" =~ ^[0-9]+$ ]] || die "READY_TIMEOUT must be whole seconds"
for c in $CONNECTIONS; do [[ "$c" =~ ^[1-9][0-9]{0,3}$ ]] || die "bad CONNECTIONS entry '$c'"; done
for s in $SERVERS; do [[ "$s" =~ ^(host|host-auth|host-401|host-isolated|host-store-sqlite|host-store-redis|floor|baseline|baseline-json)$ ]] || die "bad SERVERS entry '$s'"; done
[[ " $SERVERS " = *" host"* ]] || die "SERVERS must include host, host-auth or host-401"
if [[ " $SERVERS " = *" floor "* ]]; then
  [[ -x "$FLOOR_BIN" ]] || die "$FLOOR_BIN not found: build the target mcph_bench_floor"
fi
if [[ " $SERVERS " = *" baseline"* ]]; then
  [[ -d "$BASELINE_DIR/node_modules/@modelcontextprotocol/sdk" ]] ||
    die "baseline dependencies missing: run npm ci --prefix bench/baseline"
fi
# PIN=1: the server under test runs on CPU 0 and the load generator on CPU 1, as the transport
# issue measures; PIN=0 (default) leaves both to the scheduler.
[[ "$PIN" =~ ^[01]$ ]] || die "PIN must be 0 or 1"
SERVER_PIN=()
LOADGEN_PIN=()
if [[ "$PIN" = 1 ]]; then
  command -v taskset >/dev/null || die "PIN=1 needs taskset (util-linux)"
  [[ "$(nproc --all)" -ge 2 ]] || die "PIN=1 needs at least 2 CPUs"
  if ! taskset -c 0 true 2>/dev/null || ! taskset -c 1 true 2>/dev/null; then
    die "PIN=1: this process may not run on CPUs 0 and 1 (taskset failed)"
  fi
  SERVER_PIN=(taskset -c 0)
  LOADGEN_PIN=(taskset -c 1)
fi
REVERSED="$(echo "$SERVERS" | tr ' ' '\n' | sed '/^$/d' | tac | tr '\n' ' ')"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mcph-bench.XXXXXX")"
SERVER_PID=""
ISSUER_PID=""
REDIS_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ -n "$ISSUER_PID" ]]; then
    kill -TERM "$ISSUER_PID" 2>/dev/null || true
    wait "$ISSUER_PID" 2>/dev/null || true
  fi
  if [[ -n "$REDIS_PID" ]]; then
    kill -TERM "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The access log is off in both host configs: it writes one line per request to stderr under a
# lock (about 10% of the throughput and a fatter tail on one core, see bench/README.md), which
# is the logging's cost, not the request path's this benchmark compares with the floor.
cat >"$WORK/host.json" <<EOF
{"server":{"host":"127.0.0.1","port":0},"mcp":{"path":"/mcp"},"logging":{"accessLog":false},
 "plugins":{"dir":"$PLUGINS_DIR","settings":{}},"auth":{"provider":"none"}}
EOF

# The same host with echo in a worker process (mcph-plugin-worker, next to mcp-host).
cat >"$WORK/host-isolated.json" <<EOF
{"server":{"host":"127.0.0.1","port":0},"mcp":{"path":"/mcp"},"logging":{"accessLog":false},
 "plugins":{"dir":"$PLUGINS_DIR","settings":{},"overrides":{"echo.so":{"isolation":"process"}}},
 "auth":{"provider":"none"}}
EOF
if [[ " $SERVERS " = *" host-isolated "* ]]; then
  [[ -x "$BUILD/bin/mcph-plugin-worker" ]] || die "$BUILD/bin/mcph-plugin-worker not found: build the target mcph-plugin-worker"
fi

# The authorization server's store (issue: several instances): the host as its own authorization
# server (provider local, a token it issued on every call, so every call checks the grant in the
# store), with the embedded SQLite file against Redis. Redis runs on the load generator's CPU, as
# it would on a machine of its own, on a Unix socket in $WORK (no TCP port).
STORE_SECRET="bench-signing-key-secret-0123456789abcdef"
if [[ " $SERVERS " = *" host-store-"* ]]; then
  node "$ROOT/bench/sign-in.mjs" users "$WORK/users.json"
  for kind in sqlite redis; do
    redis_section=""
    store_key=",\"store\":{\"sqlite\":\"$WORK/store.db\"}"
    if [[ "$kind" = redis ]]; then
      redis_section=",\"redis\":{\"url\":\"unix://$WORK/redis.sock\",\"signingKeySecret\":\"$STORE_SECRET\"}"
      store_key=""
    fi
    cat >"$WORK/host-store-$kind.json" <<EOF
{"server":{"host":"127.0.0.1","port":0},"mcp":{"path":"/mcp","maxSessionsPerUser":2048},
 "logging":{"accessLog":false},"plugins":{"dir":"$PLUGINS_DIR","settings":{}},
 "auth":{"provider":"local","users":"$WORK/users.json"$store_key}$redis_section}
EOF
  done
fi
if [[ " $SERVERS " = *" host-store-redis "* ]]; then
  command -v redis-server >/dev/null || die "redis-server not found: apt-get install redis-server"
  "${LOADGEN_PIN[@]}" redis-server --port 0 --unixsocket "$WORK/redis.sock" --dir "$WORK" \
    --save '' --appendonly no --loglevel warning --daemonize no >"$WORK/redis.out" 2>&1 &
  REDIS_PID=$!
  for ((i = 0; i < 200; i++)); do [[ -S "$WORK/redis.sock" ]] && break; sleep 0.05; done
  [[ -S "$WORK/redis.sock" ]] || die "redis-server did not start: $(cat "$WORK/redis.out")"
fi

# start_issuer: the local token issuer for host-auth and host-401 (on the load generator's CPU,
# it only serves the JWKS once per server start); writes $WORK/token and $WORK/host-auth.json.
start_issuer() {
  local out="$WORK/issuer.out" deadline=$((SECONDS + READY_TIMEOUT)) url=""
  : >"$out"
  "${LOADGEN_PIN[@]}" node "$ROOT/bench/issuer.mjs" "$WORK/token" "bench-mcp" >"$out" 2>&1 &
  ISSUER_PID=$!
  while ((SECONDS < deadline)); do
    url="$(sed -n 's|^issuer listening on \(http://127\.0\.0\.1:[0-9]*\)$|\1|p' "$out")"
    [[ -n "$url" ]] && break
    sleep 0.05
  done
  [[ -n "$url" ]] || die "the token issuer did not start: $(cat "$out")"
  # Every load-generator connection is the same user with its own session: room for them all
  # (the default per-user share, 32, would evict the oldest).
  cat >"$WORK/host-auth.json" <<EOF
{"server":{"host":"127.0.0.1","port":0},"mcp":{"path":"/mcp","maxSessionsPerUser":2048},
 "logging":{"accessLog":false},
 "plugins":{"dir":"$PLUGINS_DIR","settings":{}},
 "auth":{"provider":"oidc","issuer":"$url","jwksUrl":"$url/jwks","audience":"bench-mcp",
         "allowInsecureHttp":true,"algorithms":["ES256"]}}
EOF
}

# start_server host|host-auth|host-401|floor|baseline|baseline-json: starts it on a free port (on CPU 0 with
# PIN=1; taskset execs the server, so SERVER_PID is the server's own pid); sets SERVER_PID and
# SERVER_URL.
start_server() {
  local which="$1" out="$WORK/$1.out"
  : >"$out"
  case "$which" in
    host) "${SERVER_PIN[@]}" "$HOST_BIN" --config "$WORK/host.json" >"$out" 2>"$WORK/$which.err" & ;;
    host-isolated)
      # The worker inherits the host's CPU pinning (taskset sets the affinity, which children keep).
      "${SERVER_PIN[@]}" "$HOST_BIN" --config "$WORK/host-isolated.json" >"$out" 2>"$WORK/$which.err" & ;;
    host-auth|host-401)
      "${SERVER_PIN[@]}" "$HOST_BIN" --config "$WORK/host-auth.json" >"$out" 2>"$WORK/$which.err" & ;;
    host-store-sqlite|host-store-redis)
      "${SERVER_PIN[@]}" "$HOST_BIN" --config "$WORK/$which.json" >"$out" 2>"$WORK/$which.err" & ;;
    floor) "${SERVER_PIN[@]}" "$FLOOR_BIN" >"$out" 2>"$WORK/$which.err" & ;;
    baseline)
      (cd "$BASELINE_DIR" && exec "${SERVER_PIN[@]}" node server.mjs) >"$out" 2>"$WORK/$which.err" & ;;
    baseline-json)
      (cd "$BASELINE_DIR" && exec "${SERVER_PIN[@]}" node server.mjs --json-response) \
        >"$out" 2>"$WORK/$which.err" & ;;
  esac
  SERVER_PID=$!
  SERVER_URL=""
  local deadline=$((SECONDS + READY_TIMEOUT))
  while ((SECONDS < deadline)); do
    SERVER_URL="$(sed -n 's|^.* listening on \(http://127\.0\.0\.1:[0-9]*/mcp\)\r\{0,1\}$|\1|p' "$out" | head -n1)"
    [[ -n "$SERVER_URL" ]] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "--- $which stdout ---" >&2; cat "$out" >&2
  echo "--- $which stderr ---" >&2; cat "$WORK/$which.err" >&2
  die "$which did not print its listening line within ${READY_TIMEOUT}s"
}

# stop_server: SIGTERM, then up to 10 s for it to exit, then SIGKILL.
stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 200; i++)); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
  done
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "bench/run.sh: server $SERVER_PID ignored SIGTERM for 10 s, killing it" >&2
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# cpu_seconds PID: utime + stime of a process and its running children (host-isolated: the
# plugin worker's CPU is part of each call's cost), from fields 14 and 15 of /proc/PID/stat.
cpu_seconds() {
  local pids=("$1") child
  for child in $(pgrep -P "$1" 2>/dev/null || true); do pids+=("$child"); done
  for child in "${pids[@]}"; do sed 's/^.*) //' "/proc/$child/stat" 2>/dev/null || true; done |
    awk -v t="$(getconf CLK_TCK)" '{s += $12 + $13} END {printf "%.2f", s / t}'
}

# measure SERVER CONNECTIONS RUN: one fresh server, one loadgen run, one JSON line.
measure() {
  local which="$1" conns="$2" run="$3" line rss cpu0 cpu1 extra=()
  case "$which" in
    host-auth) extra=(--bearer-file "$WORK/token") ;;
    host-401) extra=(--expect-unauthorized) ;;
  esac
  start_server "$which"
  if [[ "$which" = host-store-* ]]; then
    # A token this server issued (its grant then lives in the store under test).
    "${LOADGEN_PIN[@]}" node "$ROOT/bench/sign-in.mjs" token "$SERVER_URL" "$WORK/token-$which" ||
      { stop_server; die "signing in at $which failed"; }
    extra=(--bearer-file "$WORK/token-$which")
  fi
  cpu0="$(cpu_seconds "$SERVER_PID")"
  if ! line="$("${LOADGEN_PIN[@]}" "$LOADGEN" --url "$SERVER_URL" --connections "$conns" \
      --requests "$REQUESTS" --duration "$DURATION" --warmup "$WARMUP" \
      --warmup-requests "$WARMUP_REQUESTS" --label "$which" "${extra[@]}")"; then
    stop_server
    die "loadgen failed against $which ($conns connections)"
  fi
  cpu1="$(cpu_seconds "$SERVER_PID")"
  rss="$(awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status")"
  stop_server
  printf '{"server":"%s","run":%d,"peak_rss_kib":%d,"server_cpu_s":%s,"loadgen":%s}\n' \
    "$which" "$run" "$rss" "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN {printf "%.2f", b - a}')" \
    "$line" >>"$WORK/raw.jsonl"
  # shellcheck disable=SC2016 # the ${...} below are JavaScript, not shell
  echo "  $which c=$conns run $run: $(node -e 'const r = JSON.parse(process.argv[1]);
    console.log(`${r.throughput_rps.toFixed(0)} req/s, p50 ${r.latency_ms_p50} ms, p99 ${r.latency_ms_p99} ms, errors ${r.errors}`)' \
    "$line"), peak RSS $((rss / 1024)) MiB" >&2
}

if [[ " $SERVERS " = *" host-auth "* || " $SERVERS " = *" host-401 "* ]]; then start_issuer; fi
echo "bench: servers: $SERVERS; connections: $CONNECTIONS; runs: $RUNS; pinned: $PIN;" \
  "limits: $REQUESTS requests or ${DURATION}s (warm-up ${WARMUP}s / $WARMUP_REQUESTS)" >&2
for conns in $CONNECTIONS; do
  for ((run = 1; run <= RUNS; run++)); do
    # Alternate the order (odd runs as listed, even runs reversed) so that drift on the machine
    # hits every server alike.
    if ((run % 2)); then order="$SERVERS"; else order="$REVERSED"; fi
    for which in $order; do
      measure "$which" "$conns" "$run"
    done
  done
done

mkdir -p "$ROOT/bench/results"
RESULT="$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ).json"
node "$ROOT/bench/summarize.mjs" "$WORK/raw.jsonl" "$RESULT" \
  --host-bin "$HOST_BIN" --baseline-dir "$BASELINE_DIR" \
  --settings "{\"requests\":$REQUESTS,\"duration_s\":$DURATION,\"warmup_s\":$WARMUP,\"warmup_requests\":$WARMUP_REQUESTS,\"runs\":$RUNS,\"pinned\":$PIN}"
echo "bench: results written to $RESULT" >&2
