#!/usr/bin/env bash
# The pmx-record overhead gate: a busy stand-in engine (bench_record_overhead) pinned on one CPU,
# measured alone and with pmx-record pinned on another CPU, alternately, RUNS times each. Prints
# every run, the medians and their ratio (gate: >= 0.97), and checks after every recorded run that
# the recorder accounted for every message exactly: recorded + lost == published.
#
# The gated figure is the engine's messages per CPU-second of its own thread: on a machine where
# other work shares the CPUs (a CI VM, a dev box), a busy recorder pushes that work onto the
# engine's CPU, which lowers the engine's wall-clock rate without the recorder costing the engine
# anything. On isolated CPUs (isolcpus, the production layout) the two figures agree; the wall
# rate is printed beside it.
#
#   scripts/record-overhead.sh [--build DIR] [--runs N] [--seconds S] [--mode pipeline|tape]
#                              [--rate R] [--engine-cpu C] [--recorder-cpu C] [--zstd-level L]
#
# Needs a build with benchmarks: cmake -S . -B DIR -DPMX_BUILD_BENCH=ON &&
#   cmake --build DIR --target bench_record_overhead pmx-record
# Exit 1 if the ratio is below 0.97 or an accounting check fails.
set -euo pipefail

build=build/release
runs=5
seconds=5
mode=pipeline
rate=0
engine_cpu=0
recorder_cpu=1
level=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build=$2 ;;
    --runs) runs=$2 ;;
    --seconds) seconds=$2 ;;
    --mode) mode=$2 ;;
    --rate) rate=$2 ;;
    --engine-cpu) engine_cpu=$2 ;;
    --recorder-cpu) recorder_cpu=$2 ;;
    --zstd-level) level=$2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
engine=$build/bench/bench_record_overhead
recorder=$build/bin/pmx-record
[[ -x $engine && -x $recorder ]] || { echo "build $engine and $recorder first" >&2; exit 2; }

work=$(mktemp -d)
instance=ovh$$
trap 'rm -rf "$work" "/dev/shm/pmx.$instance.lock"' EXIT

# Prints the engine's messages/s; with "record", also checks the recorder's accounting.
one_run() {
  local with=$1 n=$2 out rec_pid=
  if [[ $with == record ]]; then
    taskset -c "$recorder_cpu" "$recorder" --instance "$instance" --out "$work/cap$n" --zstd-level "$level" \
      >"$work/rec$n.out" 2>"$work/rec$n.err" &
    rec_pid=$!
    sleep 0.2
  fi
  out=$(taskset -c "$engine_cpu" "$engine" --instance "$instance" --seconds "$seconds" --cpu "$engine_cpu" \
    --mode "$mode" --rate "$rate")
  if [[ -n $rec_pid ]]; then
    sleep 0.5  # the recorder notices the segment is gone within 0.1 s and drains the tapes
    kill -TERM "$rec_pid"
    wait "$rec_pid"
    local published recorded lost
    published=$(($(sed -E 's/.*tape0=([0-9]+).*/\1/' <<<"$out") + $(sed -E 's/.*tape1=([0-9]+).*/\1/' <<<"$out")))
    recorded=$(sed -nE 's/^pmx-record: total messages=([0-9]+) lost=([0-9]+).*/\1/p' "$work/rec$n.out")
    lost=$(sed -nE 's/^pmx-record: total messages=([0-9]+) lost=([0-9]+).*/\2/p' "$work/rec$n.out")
    if [[ $((recorded + lost)) -ne $published ]]; then
      echo "ACCOUNTING FAILED run $n: published $published, recorded $recorded + lost $lost" >&2
      cat "$work/rec$n.out" "$work/rec$n.err" >&2
      echo FAIL >"$work/failed"
    fi
    echo "  with recorder:    $out | recorded=$recorded lost=$lost published=$published" \
      "capture_bytes=$(du -cb "$work/cap$n" | tail -1 | cut -f1)" >&2
    rm -rf "$work/cap$n"
  else
    echo "  without recorder: $out" >&2
  fi
  sed -E 's/^messages_per_cpu_second=([0-9]+).*/\1/' <<<"$out"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "record-overhead: mode=$mode rate=$rate seconds=$seconds runs=$runs engine_cpu=$engine_cpu" \
  "recorder_cpu=$recorder_cpu zstd_level=$level" >&2
alone=()
recorded=()
for n in $(seq 1 "$runs"); do
  alone+=("$(one_run none "$n")")
  recorded+=("$(one_run record "$n")")
done
m_alone=$(printf '%s\n' "${alone[@]}" | median)
m_rec=$(printf '%s\n' "${recorded[@]}" | median)
ratio=$(awk -v a="$m_alone" -v b="$m_rec" 'BEGIN {printf "%.3f", b / a}')
echo "median messages per engine CPU-second: without recorder $m_alone, with recorder $m_rec, ratio $ratio (gate >= 0.97)"
[[ ! -e $work/failed ]] || { echo "accounting check failed" >&2; exit 1; }
awk -v r="$ratio" 'BEGIN {exit !(r >= 0.97)}' || { echo "ratio below 0.97" >&2; exit 1; }
