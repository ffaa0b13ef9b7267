// to_json(Snapshot). Keys and units (the contract for scripts and the dashboard):
//
//   instance                         string
//   engine{pid, mode, uptime_s, heartbeat_age_ms, halted, halt_reason}
//                                    uptime_s to the ms, heartbeat_age_ms to the µs
//   counters{name: value}            integers, registration order
//   latency_ns{stage: {count, p50, p99, p999, max}}   integers, nanoseconds
//   rings{name: {capacity, occupancy, high_water}}
//   threads[{name, cpu, loops, busy_ns}]               cpu null when not pinned
//   books[{venue, instrument, bid, bid_size, ask, ask_size, fair_value, updated_ns, stale}]
//                                    prices in dollars, sizes in contracts, a missing side
//                                    (size 0) is null for both price and size; fair_value null
//                                    before the first estimate; updated_ns CLOCK_MONOTONIC_RAW
//   positions[{instrument, venue, outcome, quantity, avg_price, realized, unrealized, fees,
//              opened_wall_ns}]      quantity in contracts (signed), money in dollars
//   pnl{capital, realized, unrealized, drawdown_pct, peak, daily}      dollars, percent
//   risk{breakers[names], consecutive_losses, cooldown_until_ns, daily_loss, open_orders,
//        orders_last_minute, exposure}                 cooldown null when none, money dollars
//   opportunities[{sequence, wall_ns, strategy, legs[{instrument, price}], size, ev,
//                  kelly_fraction, expiry_wall_ns}]
//   orders[{sequence, wall_ns, client_order_id, instrument, venue, side, status, strategy,
//           price, quantity, filled, fee}]
//
// Decimal numbers are printed from the fixed-point integers (format_fixed), never via double.
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "pmx/core/json_writer.h"
#include "pmx/core/types.h"
#include "pmx/shm/snapshot.h"

namespace pmx::shm {
namespace {

template <size_t N>
std::string_view table_name(const char* const (&names)[N], uint8_t index) noexcept {
  return index < N ? std::string_view(names[index]) : std::string_view("unknown");
}

void price(JsonWriter& w, int64_t ticks) {
  w.decimal(ticks, Price::kDecimals);
}
void qty(JsonWriter& w, int64_t units) {
  w.decimal(units, Qty::kDecimals);
}
void money(JsonWriter& w, int64_t micros) {
  w.decimal(micros, Money::kDecimals);
}

void write_engine(JsonWriter& w, const Snapshot& s) {
  w.key("engine").begin_object();
  w.key("pid").integer(s.engine.pid);
  w.key("mode").string(s.engine.mode == TradingMode::live ? "live" : "paper");
  w.key("uptime_s").decimal(s.engine.uptime_ns / 1'000'000, 3);
  w.key("heartbeat_age_ms").decimal(s.engine.heartbeat_age_ns / 1'000, 3);
  w.key("halted").boolean(s.engine.halted);
  w.key("halt_reason").string(s.engine.halt_reason);
  w.end_object();
}

void write_books(JsonWriter& w, const Snapshot& s) {
  w.key("books").begin_array();
  for (const Snapshot::Book& b : s.books) {
    w.begin_object();
    w.key("venue").string(venue_name(b.venue));
    w.key("instrument").string(b.name);
    w.key("bid");
    b.top.bid_size > 0 ? price(w, b.top.bid_ticks) : (void)w.null();
    w.key("bid_size");
    b.top.bid_size > 0 ? qty(w, b.top.bid_size) : (void)w.null();
    w.key("ask");
    b.top.ask_size > 0 ? price(w, b.top.ask_ticks) : (void)w.null();
    w.key("ask_size");
    b.top.ask_size > 0 ? qty(w, b.top.ask_size) : (void)w.null();
    w.key("fair_value");
    b.top.fair_value > 0 ? (void)w.real(b.top.fair_value) : (void)w.null();
    w.key("updated_ns").integer(b.top.updated_ns);
    w.key("stale").boolean(b.stale());
    w.end_object();
  }
  w.end_array();
}

void write_positions(JsonWriter& w, const Snapshot& s) {
  w.key("positions").begin_array();
  for (const Snapshot::Position& p : s.positions) {
    w.begin_object();
    w.key("instrument").string(p.name);
    w.key("venue").string(venue_name(p.row.venue));
    w.key("outcome").string(p.row.outcome == 0 ? "yes" : "no");
    w.key("quantity");
    qty(w, p.row.quantity);
    w.key("avg_price");
    price(w, p.row.avg_price_ticks);
    w.key("realized");
    money(w, p.row.realized_micros);
    w.key("unrealized");
    money(w, p.row.unrealized_micros);
    w.key("fees");
    money(w, p.row.fees_micros);
    w.key("opened_wall_ns").integer(p.row.opened_wall_ns);
    w.end_object();
  }
  w.end_array();
}

void write_pnl_and_risk(JsonWriter& w, const Snapshot& s) {
  w.key("pnl").begin_object();
  w.key("capital");
  money(w, s.account.capital_micros);
  w.key("realized");
  money(w, s.account.realized_micros);
  w.key("unrealized");
  money(w, s.account.unrealized_micros);
  w.key("drawdown_pct").real(s.account.drawdown_pct);
  w.key("peak");
  money(w, s.account.peak_micros);
  w.key("daily");
  money(w, s.account.daily_pnl_micros);
  w.end_object();

  w.key("risk").begin_object();
  w.key("breakers").begin_array();
  for (const std::string& name : s.tripped_breakers())
    w.string(name);
  w.end_array();
  w.key("consecutive_losses").unsigned_integer(s.risk.consecutive_losses);
  w.key("cooldown_until_ns");
  s.risk.cooldown_until_ns != 0 ? (void)w.integer(s.risk.cooldown_until_ns) : (void)w.null();
  w.key("daily_loss");
  money(w, s.risk.daily_loss_micros);
  w.key("open_orders").unsigned_integer(s.risk.open_orders);
  w.key("orders_last_minute").unsigned_integer(s.risk.orders_last_minute);
  w.key("exposure");
  money(w, s.risk.exposure_micros);
  w.end_object();
}

void write_recent(JsonWriter& w, const Snapshot& s) {
  w.key("opportunities").begin_array();
  for (const OpportunityRow& o : s.opportunities) {
    w.begin_object();
    w.key("sequence").unsigned_integer(o.sequence);
    w.key("wall_ns").integer(o.wall_ns);
    w.key("strategy").string(table_name(kStrategyNames, o.strategy));
    w.key("legs").begin_array();
    for (uint8_t i = 0; i < o.legs && i < 4; ++i) {
      w.begin_object();
      w.key("instrument").string(s.instrument_name(o.instrument[i]));
      w.key("price");
      price(w, o.price_ticks[i]);
      w.end_object();
    }
    w.end_array();
    w.key("size");
    qty(w, o.size_units);
    w.key("ev");
    money(w, o.ev_micros);
    w.key("kelly_fraction").real(o.kelly_fraction);
    w.key("expiry_wall_ns").integer(o.expiry_wall_ns);
    w.end_object();
  }
  w.end_array();

  w.key("orders").begin_array();
  for (const OrderRow& o : s.orders) {
    w.begin_object();
    w.key("sequence").unsigned_integer(o.sequence);
    w.key("wall_ns").integer(o.wall_ns);
    w.key("client_order_id").unsigned_integer(o.client_order_id);
    w.key("instrument").string(s.instrument_name(o.instrument));
    w.key("venue").string(venue_name(o.venue));
    w.key("side").string(o.side == 0 ? "buy" : "sell");
    w.key("status").string(table_name(kOrderStatusNames, o.status));
    w.key("strategy").string(table_name(kStrategyNames, o.strategy));
    w.key("price");
    price(w, o.price_ticks);
    w.key("quantity");
    qty(w, o.quantity_units);
    w.key("filled");
    qty(w, o.filled_units);
    w.key("fee");
    money(w, o.fee_micros);
    w.end_object();
  }
  w.end_array();
}

}  // namespace

std::string to_json(const Snapshot& s) {
  JsonWriter w;
  w.begin_object();
  w.key("instance").string(s.instance);
  write_engine(w, s);

  w.key("counters").begin_object();
  for (const Snapshot::Counter& c : s.counters)
    w.key(c.name).unsigned_integer(c.value);
  w.end_object();

  w.key("latency_ns").begin_object();
  for (size_t i = 0; i < kStageCount; ++i) {
    const Snapshot::Latency& l = s.latency[i];
    w.key(kStageNames[i]).begin_object();
    w.key("count").unsigned_integer(l.count);
    w.key("p50").unsigned_integer(l.p50);
    w.key("p99").unsigned_integer(l.p99);
    w.key("p999").unsigned_integer(l.p999);
    w.key("max").unsigned_integer(l.max);
    w.end_object();
  }
  w.end_object();

  w.key("rings").begin_object();
  for (const Snapshot::Ring& r : s.rings) {
    w.key(r.name).begin_object();
    w.key("capacity").unsigned_integer(r.capacity);
    w.key("occupancy").unsigned_integer(r.occupancy);
    w.key("high_water").unsigned_integer(r.high_water);
    w.end_object();
  }
  w.end_object();

  w.key("threads").begin_array();
  for (const Snapshot::Thread& t : s.threads) {
    w.begin_object();
    w.key("name").string(t.name);
    w.key("cpu");
    t.cpu >= 0 ? (void)w.integer(t.cpu) : (void)w.null();
    w.key("loops").unsigned_integer(t.loops);
    w.key("busy_ns").unsigned_integer(t.busy_ns);
    w.end_object();
  }
  w.end_array();

  write_books(w, s);
  write_positions(w, s);
  write_pnl_and_risk(w, s);
  write_recent(w, s);
  w.end_object();
  return w.take();
}

}  // namespace pmx::shm
