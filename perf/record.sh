#!/usr/bin/env bash
# perf record -g over bench_tick_to_trade and a perf report --stdio text (hot call chains). A flame
# graph is drawn only if a Debian-packaged flame-graph tool is installed (none is in bookworm main:
# the report text is the deliverable). Without hardware counters perf samples cpu-clock, which
# works in VMs; if perf cannot record at all, callgrind's per-function profile is written instead.
#   perf/record.sh          [PMX_BUILD_DIR=... PMX_BENCH_ITERATIONS=... PMX_PERF_FILTER=...]
source "$(dirname "$0")/common.sh"
build_bench
args=(--benchmark_filter="$filter")
event=cycles
perf_has_counters || event=cpu-clock

if command -v perf >/dev/null 2>&1 &&
  perf record -e "$event" -g -o "$out/perf.data" -- "$bench" "${args[@]}" >"$out/record-run.txt" 2>&1; then
  perf report -i "$out/perf.data" --stdio --no-children --percent-limit 1 2>/dev/null >"$out/perf-report.txt"
  perf report -i "$out/perf.data" --stdio --no-children --sort symbol --percent-limit 1 -g none 2>/dev/null |
    grep -v '^$' | head -40
  if command -v flamegraph.pl >/dev/null 2>&1 && command -v stackcollapse-perf.pl >/dev/null 2>&1; then
    perf script -i "$out/perf.data" | stackcollapse-perf.pl | flamegraph.pl >"$out/flamegraph.svg"
    echo "flame graph: $out/flamegraph.svg"
  fi
  echo "full report: $out/perf-report.txt"
  exit 0
fi

echo "perf record failed; callgrind profile instead" >&2
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" "$bench" "${args[@]}" >/dev/null 2>&1
callgrind_annotate "$out/callgrind.out" | head -60 | tee "$out/callgrind-report.txt"
