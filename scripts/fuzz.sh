#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 in build/fuzz/ and runs each one: a replay of its seed
# corpus (-runs=0), then a bounded fuzzing run (PMX_FUZZ_SECONDS, default 20). Exits non-zero on a
# crash, a sanitizer report or a build failure. See fuzz/README.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${root}/build/fuzz"
seconds="${PMX_FUZZ_SECONDS:-20}"

cmake -S "${root}/fuzz" -B "${build}" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "${build}" -j2

mkdir -p "${build}/artifacts"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

for target in kalshi_parser polymarket_parser capture_reader bootstrap_pages; do
  exe="${build}/fuzz_${target}"
  seeds="${root}/fuzz/corpus/${target}"
  scratch="${build}/corpus/${target}"
  mkdir -p "${scratch}"
  echo "== ${target}: replaying $(ls "${seeds}" | wc -l) seeds"
  "${exe}" -runs=0 -artifact_prefix="${build}/artifacts/" "${seeds}"
  echo "== ${target}: fuzzing for ${seconds}s"
  "${exe}" -max_total_time="${seconds}" -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="${build}/artifacts/" "${scratch}" "${seeds}" 2>&1 | tail -n 12
  # tail hides libFuzzer's exit status: check it explicitly.
  if [ "${PIPESTATUS[0]}" -ne 0 ]; then
    echo "fuzz.sh: ${target} failed; reproducer in ${build}/artifacts/" >&2
    exit 1
  fi
done
echo "fuzz.sh: all targets clean"
