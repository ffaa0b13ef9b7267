#!/usr/bin/env bash
# Builds the release preset and runs bench_ring the way bench/RESULTS.md reports it.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target bench_ring
exec build/release/bench/bench_ring --benchmark_repetitions=10 --benchmark_enable_random_interleaving=true \
  --benchmark_report_aggregates_only=true "$@"
