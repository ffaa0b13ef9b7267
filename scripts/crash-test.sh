#!/usr/bin/env bash
# The kill -9 check: N times, pmx-engine trades on paper against pmx-venue-sim's synthetic market
# and is killed with SIGKILL at a random moment (4-14 s into its run: the synthetic market starts
# trading about 6 s in), then restarted. A final
# clean run reconciles and stops with SIGTERM. Then the database must show:
#   * no client order id used twice (orders.client_order_id is UNIQUE; checked again here), and no
#     strategy intent id used twice;
#   * PRAGMA integrity_check = ok;
#   * every open position equal to the paper venue's (the net of its fills), none missing.
#
#   scripts/crash-test.sh [N=20] [BIN_DIR=build/release/bin]
# Needs the sqlite3 command-line shell (apt-get install sqlite3). Exit 0 when every check passes.
# Also registered as the ctest `engine_crash_recovery` in the `long` configuration
# (ctest -C long -R engine_crash_recovery), outside the default suite: it takes about N x 10 s.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
bin=${2:-build/release/bin}
command -v sqlite3 >/dev/null || { echo "crash-test: needs the sqlite3 shell (apt-get install sqlite3)"; exit 2; }

work=$(mktemp -d /tmp/pmx-crash-XXXXXX)
instance="crash$$"
kalshi_port=$((20000 + RANDOM % 20000))
poly_port=$((kalshi_port + 1))
sed -e "s/9101/$kalshi_port/g" -e "s/9102/$poly_port/g" -e "s/instance = \"demo\"/instance = \"$instance\"/" \
  -e "s|state/demo/pmx.db|$work/pmx.db|" config/demo.toml >"$work/engine.toml"

sim_pid=""
engine_pid=""
cleanup() {
  [[ -n "$engine_pid" ]] && kill -9 "$engine_pid" 2>/dev/null || true
  [[ -n "$sim_pid" ]] && kill -TERM "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null || true
  [[ "${keep:-0}" == 1 ]] || rm -rf "$work"
}
trap cleanup EXIT

"$bin/pmx-venue-sim" --config "$work/engine.toml" --synthetic --write-pairs "$work/pairs.toml" >"$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 100); do
  [[ $(grep -c '^listening on' "$work/sim.log" || true) -ge 2 ]] && break
  sleep 0.1
done

start_engine() {
  "$bin/pmx-engine" --config "$work/engine.toml" --set "arbitrage.cross_venue_pairs=$work/pairs.toml" \
    --tape-mib 4 >>"$work/engine.log" 2>&1 &
  engine_pid=$!
  for _ in $(seq 300); do
    "$bin/shm-top" --instance "$instance" --once >/dev/null 2>&1 && return 0
    kill -0 "$engine_pid" 2>/dev/null || { tail -5 "$work/engine.log"; echo "crash-test: engine failed"; keep=1; exit 1; }
    sleep 0.1
  done
  echo "crash-test: engine did not come up"; keep=1; exit 1
}

sql() { sqlite3 -batch -noheader "$work/pmx.db" "$1"; }

for i in $(seq "$runs"); do
  start_engine
  sleep "$((4 + RANDOM % 10)).$((RANDOM % 10))"
  if ! kill -9 "$engine_pid" 2>/dev/null; then
    rc=0
    wait "$engine_pid" || rc=$?
    echo "crash-test: FAIL: the engine exited on its own (status $rc) before kill -9 $i; its log:"
    tail -20 "$work/engine.log"
    keep=1
    echo "crash-test: kept $work"
    exit 1
  fi
  wait "$engine_pid" 2>/dev/null || true
  engine_pid=""
  echo "crash-test: kill -9 $i/$runs: $(sql "SELECT count(*) FROM orders") orders, $(sql "SELECT count(*) FROM fills") fills so far"
done

start_engine
sleep 2
kill -TERM "$engine_pid"
rc=0
wait "$engine_pid" || rc=$?
engine_pid=""

failures=0
check() {  # name, actual, expected
  if [[ "$2" == "$3" ]]; then echo "crash-test: ok   $1 ($2)"; else echo "crash-test: FAIL $1: got '$2', want '$3'"; failures=$((failures + 1)); fi
}
check "final run exits 0 on SIGTERM" "$rc" 0
check "client order ids used twice" "$(sql "SELECT count(*) - count(DISTINCT client_order_id) FROM orders")" 0
check "strategy intent ids used twice" \
  "$(sql "SELECT count(*) - count(DISTINCT intent_id) FROM orders WHERE intent_id BETWEEN 1 AND 2305843009213693951")" 0
check "PRAGMA integrity_check" "$(sql "PRAGMA integrity_check")" ok
net_fills="SELECT venue, ticker, outcome, sum(CASE side WHEN 'buy' THEN qty_units ELSE -qty_units END) AS q
           FROM fills GROUP BY venue, ticker, outcome HAVING q > 0"
open_positions="SELECT venue, ticker, outcome, qty_units FROM positions WHERE status = 'open'"
check "open positions not held at the venue" "$(sql "SELECT count(*) FROM ($open_positions EXCEPT $net_fills)")" 0
check "venue positions missing in the database" "$(sql "SELECT count(*) FROM ($net_fills EXCEPT $open_positions)")" 0
check "orders left working" "$(sql "SELECT count(*) FROM orders WHERE status IN ('submitted','open','partially_filled')")" 0
echo "crash-test: $runs kill -9s; $(sql "SELECT count(*) FROM orders") orders ($(sql "SELECT count(*) FROM orders WHERE reject_reason = 'engine_restart'") closed by restarts), $(sql "SELECT count(*) FROM fills") fills, $(sql "SELECT count(*) FROM positions WHERE status='open'") open positions, $(sql "SELECT count(*) FROM audit WHERE kind = 'reconciliation'") reconciliation corrections"
if [[ $failures -ne 0 ]]; then keep=1; echo "crash-test: FAILED ($failures); kept $work"; exit 1; fi
echo "crash-test: PASSED"
