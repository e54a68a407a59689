#!/usr/bin/env bash
# Runs every libFuzzer target of a sanitizer build (the `asan` preset) for a bounded time, each over a
# scratch copy of its seed corpus (tests/fuzz/corpus/<target>, known-crash files crash-* left
# out), so the checked-in seeds never change. Fails when any fuzzer crashes, leaks, times out or
# breaks a property; the input that did it is kept in <build>/fuzz/artifacts/<target>/ and
# printed (base64) in the log.
#   tests/fuzz/run_fuzzers.sh [build-dir] [target...]
#   MCPH_FUZZ_SECONDS  seconds per target (default 20)
#   MCPH_FUZZ_RSS_MB   memory limit per target (default 2048)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build-asan}
shift || true
SECONDS_EACH=${MCPH_FUZZ_SECONDS:-20}
RSS_MB=${MCPH_FUZZ_RSS_MB:-2048}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  # Every target the build knows (tests/fuzz/targets.cmake); each must have been built.
  mapfile -t targets < <(sed -n '/^set(MCPH_FUZZ_TARGETS/,/)/p' tests/fuzz/targets.cmake |
                         tr -d '()' | tr ' ' '\n' | grep -E '^[a-z0-9_]+$' | grep -v '^set$')
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mcph-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

failed=()
for name in "${targets[@]}"; do
  bin=$BUILD/fuzz/bin/fuzz_$name
  if [ ! -x "$bin" ]; then
    echo "fuzz: $bin is missing (build with: cmake --preset asan && cmake --build --preset asan)" >&2
    failed+=("$name")
    continue
  fi
  mkdir -p "$work/$name/corpus" "$work/$name/artifacts"
  find "tests/fuzz/corpus/$name" -maxdepth 1 -type f ! -name 'crash-*' -exec cp {} "$work/$name/corpus/" \;
  start=$(date +%s)
  if "$bin" -max_total_time="$SECONDS_EACH" -rss_limit_mb="$RSS_MB" -timeout=25 -print_final_stats=1 \
       -artifact_prefix="$work/$name/artifacts/" "$work/$name/corpus" >"$work/$name/log" 2>&1; then
    stats=$(grep -E '^stat::number_of_executed_units' "$work/$name/log" | awk '{print $2}')
    cov=$(grep -oE 'cov: [0-9]+' "$work/$name/log" | tail -1)
    echo "fuzz: $name ok ($(( $(date +%s) - start )) s, ${stats:-?} runs, ${cov:-cov: ?}, $(ls "$work/$name/corpus" | wc -l) corpus files)"
  else
    echo "fuzz: $name FAILED; the end of its log:" >&2
    tail -n 80 "$work/$name/log" >&2
    keep=$BUILD/fuzz/artifacts/$name
    mkdir -p "$keep"
    for f in "$work/$name/artifacts"/*; do
      [ -f "$f" ] || continue
      cp "$f" "$keep/"
      echo "fuzz: reproducer $keep/${f##*/} (base64):" >&2
      base64 -w0 "$f" >&2
      echo >&2
      echo "fuzz: replay with: $bin $keep/${f##*/}" >&2
    done
    failed+=("$name")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} of ${#targets[@]} targets failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${SECONDS_EACH} s each without a finding"
