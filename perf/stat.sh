#!/usr/bin/env bash
# perf stat over bench_tick_to_trade (one-thread pipeline): cycles, instructions, IPC, cache and
# branch misses. Where the VM exposes no hardware counters, falls back to callgrind (instruction
# counts, simulated cache and branch misses) and prints its summary.
#   perf/stat.sh            [PMX_BUILD_DIR=... PMX_BENCH_ITERATIONS=... PMX_PERF_FILTER=...]
source "$(dirname "$0")/common.sh"
build_bench
args=(--benchmark_filter="$filter")

if perf_has_counters; then
  perf stat -e cycles,instructions,cache-references,cache-misses,branches,branch-misses,task-clock,context-switches \
    -- "$bench" "${args[@]}" 2>&1 | tee "$out/perf-stat.txt"
  exit 0
fi

echo "perf stat: hardware counters not supported here; software events, then callgrind" >&2
perf stat -e task-clock,context-switches,cpu-migrations,page-faults -- "$bench" "${args[@]}" 2>&1 |
  tee "$out/perf-stat-software.txt" || true
valgrind --tool=callgrind --cache-sim=yes --branch-sim=yes --callgrind-out-file="$out/callgrind.out" \
  "$bench" "${args[@]}" 2>&1 | tee "$out/callgrind-run.txt" | grep -E "^==[0-9]+== (Collected|I +refs|D +refs|LL|Mispred|Branches|I1 +misses|D1 +misses)" || true
callgrind_annotate --inclusive=yes "$out/callgrind.out" 2>/dev/null | head -40 | tee "$out/callgrind-summary.txt"
