#!/usr/bin/env bash
# Live/replay equivalence (issue 8, item 4): a paper session of the engine against the venue
# simulator's synthetic market, recorded by pmx-record, replayed by pmx-backtest with the same
# configuration, universe and seed; the engine's opportunities and intents (its database) must
# come out of the replay in the same order with the same content.
#
#   scripts/replay-equivalence.sh [SECONDS]        (default 60)
#
# Needs bin/pmx-venue-sim, bin/pmx-engine, bin/pmx-record and bin/pmx-backtest in PMX_BUILD_DIR
# (default build/release). The universe is the file pmx-engine saves at start-up as
# <database>.universe.json (PMX_UNIVERSE overrides the path); without it, the simulator's market
# lists are fetched again (pmx-backtest --universe-from-venues), which gives the same universe
# because the synthetic market is seeded.
# State: state/equivalence/ (pmx.db, capture/, sim.log, engine.log, record.log, replay.json).
# Exit: 0 same, 3 different, 2 a program is missing, 1 a program failed.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
bin=${PMX_BUILD_DIR:-build/release}/bin
state=state/equivalence
config=config/demo.toml
instance=equivalence
for program in pmx-venue-sim pmx-engine pmx-record pmx-backtest; do
  [[ -x "$bin/$program" ]] || { echo "replay-equivalence: $bin/$program is not built"; exit 2; }
done
rm -rf "$state"
mkdir -p "$state/capture"
db=$state/pmx.db
universe=${PMX_UNIVERSE:-$db.universe.json}

pids=()
# shellcheck disable=SC2317  # called by the EXIT trap
stop_all() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT

"$bin/pmx-venue-sim" --config "$config" --synthetic --write-pairs "$state/pairs.toml" >"$state/sim.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  [[ $(grep -c '^listening on' "$state/sim.log" 2>/dev/null || true) -ge 2 ]] && break
  sleep 0.1
done

"$bin/pmx-engine" --config "$config" --instance "$instance" --db "$db" \
  --set "arbitrage.cross_venue_pairs=$state/pairs.toml" --duration "$seconds" 2>"$state/engine.log" &
engine=$!
pids+=("$engine")
for _ in $(seq 300); do
  [[ -e /dev/shm/pmx.$instance ]] && break
  sleep 0.1
done
"$bin/pmx-record" --instance "$instance" --out "$state/capture" >"$state/record.log" 2>&1 &
recorder=$!
pids+=("$recorder")

echo "replay-equivalence: recording a ${seconds}s paper session"
wait "$engine" || { cat "$state/engine.log"; echo "replay-equivalence: pmx-engine failed"; exit 1; }
kill -TERM "$recorder" 2>/dev/null || true
wait "$recorder" || true
universe_args=(--universe "$universe")
if [[ ! -f "$universe" ]]; then
  # The simulator (still running, seeded) lists the same markets in the same order as at start-up.
  echo "replay-equivalence: no universe file $universe: fetching the simulator's market lists as the engine did"
  universe_args=(--universe-from-venues)
fi

echo "replay-equivalence: replaying $(find "$state/capture" -type f | wc -l) capture file(s)"
set +e
"$bin/pmx-backtest" --config "$config" --set "arbitrage.cross_venue_pairs=$state/pairs.toml" \
  "${universe_args[@]}" --capture "$state"/capture/* --report "$state/replay.json" --compare-db "$db"
rc=$?
set -e
[[ $rc == 0 ]] && echo "replay-equivalence: SAME" || echo "replay-equivalence: DIFFERENT (exit $rc)"
exit $rc
