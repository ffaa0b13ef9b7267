#!/usr/bin/env bash
# The paper-trading demo: builds the release preset (pmx-engine, pmx-venue-sim, shm-top, pmx-ctl),
# starts pmx-venue-sim's seeded synthetic market on loopback (Kalshi :9101, Polymarket :9102) and
# pmx-engine against it in paper mode (config/demo.toml), then runs shm-top in the foreground when
# a terminal is attached (q quits), or says how to open it. Ctrl-C (or q) stops everything:
# the engine gets SIGTERM (cancels open orders, flushes its database, exits 0), then the simulator.
#
# State: state/demo/ (pmx.db SQLite database, pairs.toml, engine.log, sim.log).
# Options: PMX_BUILD_DIR (default build/release), PMX_SKIP_BUILD=1 to use existing binaries.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${PMX_BUILD_DIR:-build/release}
if [[ "${PMX_SKIP_BUILD:-0}" != 1 ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)" --target pmx-engine pmx-venue-sim shm-top pmx-ctl
fi
bin=$build_dir/bin
state=state/demo
mkdir -p "$state"

sim_pid=""
engine_pid=""
stop_all() {
  trap - INT TERM EXIT
  local rc=0
  if [[ -n "$engine_pid" ]] && kill -0 "$engine_pid" 2>/dev/null; then
    kill -TERM "$engine_pid"
    wait "$engine_pid" || rc=$?
    echo "demo: pmx-engine exited $rc (log: $state/engine.log)"
  fi
  if [[ -n "$sim_pid" ]] && kill -0 "$sim_pid" 2>/dev/null; then
    kill -TERM "$sim_pid"
    wait "$sim_pid" || true
  fi
  echo "demo: stopped; the trades are in $state/pmx.db (sqlite3 $state/pmx.db 'select * from fills')"
  exit "$rc"
}
trap stop_all INT TERM EXIT

"$bin/pmx-venue-sim" --config config/demo.toml --synthetic --write-pairs "$state/pairs.toml" >"$state/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 100); do
  [[ $(grep -c '^listening on' "$state/sim.log" 2>/dev/null || true) -ge 2 ]] && break
  kill -0 "$sim_pid" 2>/dev/null || { cat "$state/sim.log"; echo "demo: pmx-venue-sim failed"; exit 1; }
  sleep 0.1
done
echo "demo: pmx-venue-sim serving the synthetic market (log: $state/sim.log)"

"$bin/pmx-engine" --config config/demo.toml --set "arbitrage.cross_venue_pairs=$state/pairs.toml" \
  2>"$state/engine.log" &
engine_pid=$!
for _ in $(seq 300); do
  "$bin/shm-top" --instance demo --once >/dev/null 2>&1 && break
  kill -0 "$engine_pid" 2>/dev/null || { cat "$state/engine.log"; engine_pid=""; echo "demo: pmx-engine failed"; exit 1; }
  sleep 0.1
done
echo "demo: pmx-engine trading on paper (log: $state/engine.log); paper orders and fills appear within a minute"

if [[ -t 0 && -t 1 ]]; then
  "$bin/shm-top" --instance demo || true
else
  echo "demo: watch it with: $bin/shm-top --instance demo     (one JSON snapshot: --once --json)"
  echo "demo: kill switch:   $bin/pmx-ctl --instance demo kill   (resume: ... resume); Ctrl-C stops the demo"
  wait "$engine_pid" || true
fi
