# Shared by stat.sh and record.sh: where the benchmark is, and whether perf has hardware counters.
# PMX_BUILD_DIR: a build tree configured with -DPMX_BUILD_BENCH=ON (default build/perf, built here).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="${PMX_BUILD_DIR:-$root/build/perf}"
out="${PMX_PERF_OUT:-$build/perf-out}"
bench="$build/bench/bench_tick_to_trade"
# The one-thread tick-to-trade run: the whole pipeline on one core, deterministic work per move.
filter="${PMX_PERF_FILTER:-tick_to_trade/kalshi/one_thread}"
export PMX_BENCH_ITERATIONS="${PMX_BENCH_ITERATIONS:-20000}"

build_bench() {
  if [[ ! -x "$bench" ]]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPMX_BUILD_BENCH=ON >/dev/null
    cmake --build "$build" --target bench_tick_to_trade -j"$(nproc)"
  fi
  mkdir -p "$out"
}

# True when perf can count instructions (false on VMs without a virtual PMU: "<not supported>").
perf_has_counters() {
  command -v perf >/dev/null 2>&1 || return 1
  local text
  text="$(perf stat -x, -e instructions true 2>&1)" || return 1
  [[ "$text" != *"not supported"* && "$text" != *"not counted"* ]]
}
