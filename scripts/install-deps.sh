#!/usr/bin/env bash
# Installs every Debian 12 (bookworm) package pmx builds, tests and benchmarks with.
#
# Idempotent and non-interactive: asks dpkg what is missing, installs only that (as root, or
# through sudo), and says what it installed. Nothing is downloaded from anywhere but Debian.
#
# Boost comes from libboost1.81-dev: never add libboost-dev (1.74), which conflicts with it.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake make pkg-config ccache clang-14 libclang-rt-14-dev clang-format clang-tidy
  # libraries
  libboost1.81-dev libboost-json1.81-dev libboost-system1.81-dev liburing-dev libsimdjson-dev
  libconcurrentqueue-dev libreaderwriterqueue-dev libssl-dev libsecp256k1-dev libcrypto++-dev
  libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev libsqlite3-dev libsqlitecpp-dev
  libncurses-dev libcpp-httplib-dev libnuma-dev libzstd-dev
  # peers measured in the same benchmark runs (bench_parse)
  nlohmann-json3-dev rapidjson-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev linux-perf hyperfine valgrind tmux
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exec bash "$(dirname "$0")/install-dash-deps.sh"  # then pmx-dash's browser and web bundle
fi

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${#missing[@]} package(s): ${missing[*]}"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${missing[*]}"

# pmx-dash's browser and web bundle (chromium, npm ci): scripts/install-dash-deps.sh.
bash "$(dirname "$0")/install-dash-deps.sh"
