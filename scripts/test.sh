#!/usr/bin/env bash
# Builds and runs the whole test suite: the release build, then the ASan+UBSan and TSan
# builds, each with its own ctest preset, then the libFuzzer targets over their seed corpora
# plus a short bounded run (scripts/fuzz.sh). TSan leaves out the modules whose code and tests are
# single-threaded (PMX_TEST_SKIP_MODULES in CMakePresets.json): it has nothing to find there.
# Exits non-zero on the first failure.
#
#   scripts/test.sh                                 everything
#   PMX_TEST_PRESETS="release" scripts/test.sh      a subset of the presets
#   PMX_FUZZ_SECONDS=0 scripts/test.sh              seed corpora only, no fuzzing time
# The bounded fuzzing run is 10 s per target here (CI's time budget); scripts/fuzz.sh alone
# defaults to 20 s, and fuzz/README.md documents the longer runs.
set -euo pipefail
cd "$(dirname "$0")/.."

presets=${PMX_TEST_PRESETS:-"release asan tsan"}

# Let ccache share entries between clones in different directories (CI builds a fresh clone):
# paths are hashed relative to the clone, and the working directory is not hashed.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
jobs=${PMX_JOBS:-$(nproc)}

if [[ ! -d ../shared/data ]]; then
  echo "test: ../shared/data is missing beside the clone: tests that read real venue recordings will skip"
fi

for preset in $presets; do
  echo "== $preset: configure, build, test"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  ctest --preset "$preset" -j "$jobs"
done
export PMX_FUZZ_SECONDS="${PMX_FUZZ_SECONDS:-10}"
echo "== fuzz: seed corpora and a bounded run (PMX_FUZZ_SECONDS=$PMX_FUZZ_SECONDS)"
bash scripts/fuzz.sh
echo "test: all presets passed ($presets), fuzz targets clean"
