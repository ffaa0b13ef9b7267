#include "api_json.h"

#include <algorithm>

#include "pmx/core/json_writer.h"
#include "pmx/core/types.h"

namespace pmx::dash {

std::string_view strategy_name(uint8_t index) noexcept {
  return index < std::size(shm::kStrategyNames) ? shm::kStrategyNames[index] : "unknown";
}

std::string_view order_status_name(uint8_t index) noexcept {
  return index < std::size(shm::kOrderStatusNames) ? shm::kOrderStatusNames[index] : "unknown";
}

std::string stats_json(const shm::Snapshot& s) {
  JsonWriter j;
  j.begin_object();
  j.key("engine").string("attached");
  j.key("instance").string(s.instance);
  j.key("mode").string(s.engine.mode == shm::TradingMode::live ? "live" : "paper");
  j.key("halted").boolean(s.engine.halted);
  j.key("halt_reason").string(s.engine.halt_reason);
  j.key("heartbeat_age_ms").decimal(s.engine.heartbeat_age_ns / 1'000, 3);
  j.key("capital").decimal(s.account.capital_micros, Money::kDecimals);
  j.key("realized").decimal(s.account.realized_micros, Money::kDecimals);
  j.key("unrealized").decimal(s.account.unrealized_micros, Money::kDecimals);
  j.key("daily").decimal(s.account.daily_pnl_micros, Money::kDecimals);
  j.key("peak").decimal(s.account.peak_micros, Money::kDecimals);
  j.key("fees").decimal(s.account.fees_micros, Money::kDecimals);
  j.key("drawdown_pct").real(s.account.drawdown_pct);
  j.key("open_positions").integer(s.account.open_positions);
  j.key("trades_today").integer(s.account.trades_today);
  j.key("exposure").decimal(s.risk.exposure_micros, Money::kDecimals);
  const std::vector<std::string> breakers = s.tripped_breakers();
  j.key("circuit_breaker").string(breakers.empty() ? "ok" : "tripped");
  j.key("breakers").begin_array();
  for (const std::string& b : breakers)
    j.string(b);
  j.end_array();
  j.key("consecutive_losses").integer(s.risk.consecutive_losses);
  j.end_object();
  return j.take();
}

std::string absent_json(std::string_view instance, std::string_view problem) {
  JsonWriter j;
  j.begin_object().key("engine").string("absent").key("instance").string(instance);
  j.key("problem").string(problem).end_object();
  return j.take();
}

std::optional<int64_t> position_mark(const shm::Snapshot& s, const shm::Snapshot::Position& p) {
  for (const shm::Snapshot::Book& b : s.books) {
    if (b.instrument != p.row.instrument) continue;
    if (b.top.bid_size <= 0 || b.top.ask_size <= 0) return std::nullopt;
    const int64_t yes_mid = (int64_t{b.top.bid_ticks} + b.top.ask_ticks) * 5;  // 1e-5 dollars
    return p.row.outcome == 0 ? yes_mid : 100'000 - yes_mid;
  }
  return std::nullopt;
}

std::string positions_json(const shm::Snapshot& s) {
  JsonWriter j;
  j.begin_array();
  for (const shm::Snapshot::Position& p : s.positions) {
    j.begin_object();
    j.key("instrument").string(p.name);
    j.key("venue").string(shm::venue_name(p.row.venue));
    j.key("outcome").string(p.row.outcome == 0 ? "yes" : "no");
    j.key("quantity").decimal(p.row.quantity, Qty::kDecimals);
    j.key("entry").decimal(p.row.avg_price_ticks, Price::kDecimals);
    j.key("current");
    if (const auto mark = position_mark(s, p))
      j.decimal(*mark, 5);
    else
      j.null();
    j.key("unrealized").decimal(p.row.unrealized_micros, Money::kDecimals);
    j.key("realized").decimal(p.row.realized_micros, Money::kDecimals);
    j.key("fees").decimal(p.row.fees_micros, Money::kDecimals);
    j.key("opened_wall_ns").integer(p.row.opened_wall_ns);
    j.end_object();
  }
  j.end_array();
  return j.take();
}

std::vector<shm::OpportunityRow> ranked_opportunities(const shm::Snapshot& s, std::string_view strategy) {
  std::vector<shm::OpportunityRow> rows;
  for (const shm::OpportunityRow& o : s.opportunities)
    if (strategy.empty() || strategy_name(o.strategy) == strategy) rows.push_back(o);
  std::stable_sort(rows.begin(), rows.end(), [](const shm::OpportunityRow& a, const shm::OpportunityRow& b) {
    return a.ev_micros > b.ev_micros;
  });
  return rows;
}

std::string opportunity_market(const shm::Snapshot& s, const shm::OpportunityRow& o) {
  std::string market;
  for (uint8_t i = 0; i < o.legs && i < 4; ++i) {
    if (i > 0) market += " / ";
    market += s.instrument_name(o.instrument[i]);
  }
  return market;
}

std::string opportunities_json(const shm::Snapshot& s, std::string_view strategy) {
  JsonWriter j;
  j.begin_array();
  for (const shm::OpportunityRow& o : ranked_opportunities(s, strategy)) {
    j.begin_object();
    j.key("sequence").integer(static_cast<int64_t>(o.sequence));
    j.key("wall_ns").integer(o.wall_ns);
    j.key("strategy").string(strategy_name(o.strategy));
    j.key("market").string(opportunity_market(s, o));
    j.key("legs").begin_array();
    for (uint8_t i = 0; i < o.legs && i < 4; ++i) {
      j.begin_object().key("instrument").string(s.instrument_name(o.instrument[i]));
      j.key("price").decimal(o.price_ticks[i], Price::kDecimals).end_object();
    }
    j.end_array();
    j.key("ev").decimal(o.ev_micros, Money::kDecimals);
    j.key("kelly_fraction").real(o.kelly_fraction);
    j.key("size").decimal(o.size_units, Qty::kDecimals);
    j.key("expiry_wall_ns").integer(o.expiry_wall_ns);
    j.end_object();
  }
  j.end_array();
  return j.take();
}

std::string state_event_json(const shm::Snapshot* snapshot, std::string_view instance,
                             std::string_view problem) {
  JsonWriter j;
  j.begin_object();
  if (snapshot != nullptr) {
    j.key("stats").raw(stats_json(*snapshot));
    j.key("state").raw(shm::to_json(*snapshot));
  } else {
    j.key("stats").raw(absent_json(instance, problem));
    j.key("state").null();
  }
  j.end_object();
  return j.take();
}

}  // namespace pmx::dash
