#include "market_simulator.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace pmx::writer {
namespace {

// Kalshi tickers in the venue's shapes: series-date-strike.
std::string kalshi_ticker(uint32_t i) {
  static const char* const kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                        "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  const uint32_t k = i / 2;
  switch (k % 5) {
    case 0:
      return fmt::format("KXFEDDECISION-26{}-H{}", kMonths[k / 5 % 12], (k / 5 % 3) * 25);
    case 1:
      return fmt::format("KXBTCD-26{}{:02}17-T{}.99", kMonths[k / 5 % 12], k % 28 + 1,
                         90'000 + (k % 20) * 1000 - 1);
    case 2:
      return fmt::format("KXHIGHNY-26{}{:02}-B{}.5", kMonths[k / 5 % 12], k % 28 + 1, 30 + k % 40);
    case 3:
      return fmt::format("KXCPIYOY-26{}-T{}.{}", kMonths[k / 5 % 12], 2 + k % 2, k % 10);
    default:
      return fmt::format("KXNBAGAME-26{}{:02}LALBOS-{}", kMonths[k / 5 % 12], k % 28 + 1,
                         k % 2 ? "BOS" : "LAL");
  }
}

// Polymarket asset ids are 76-78 digit decimal token ids (the segment keeps the first 55).
std::string polymarket_token(std::mt19937_64& rng) {
  std::string id = std::to_string(1 + rng() % 9);
  while (id.size() < 77)
    id += static_cast<char>('0' + rng() % 10);
  return id;
}

}  // namespace

MarketSimulator::MarketSimulator(shm::StateWriter& writer, uint32_t markets, uint64_t seed,
                                 Money starting_capital)
    : writer_(writer), rng_(seed), starting_capital_(starting_capital) {
  kalshi_in_ = writer.add_counter("kalshi.messages_in");
  polymarket_in_ = writer.add_counter("polymarket.messages_in");
  parse_errors_ = writer.add_counter("parse_errors");
  sequence_gaps_ = writer.add_counter("sequence_gaps");
  reconnects_ = writer.add_counter("reconnects");
  opportunities_ = writer.add_counter("opportunities");
  orders_ = writer.add_counter("orders");
  fills_ = writer.add_counter("fills");
  rejects_ = writer.add_counter("rejects");
  threads_[0] = &writer.add_thread("feed.kalshi", 2);
  threads_[1] = &writer.add_thread("feed.polymarket", 3);
  threads_[2] = &writer.add_thread("strategy", 4);
  threads_[3] = &writer.add_thread("gateway", -1);
  rings_[0] = &writer.add_ring("kalshi->strategy", 1u << 16);
  rings_[1] = &writer.add_ring("polymarket->strategy", 1u << 16);
  rings_[2] = &writer.add_ring("strategy->gateway", 1u << 12);
  for (uint32_t t = 0; t < writer.geometry().tape_count && t < 2; ++t)
    tapes_.push_back(writer.tape(t, static_cast<uint8_t>(t)));

  std::uniform_int_distribution<int32_t> start(5, 95);
  for (uint32_t i = 0; i < markets; ++i) {
    Market m;
    m.id = i;
    m.venue = i % 2 == 0 ? Venue::kalshi : Venue::polymarket;
    m.tick = m.venue == Venue::kalshi ? 100 : 10;
    m.mid = start(rng_) * 100;
    m.fair = m.mid / 10'000.0;
    writer.add_instrument(i, static_cast<uint8_t>(m.venue),
                          m.venue == Venue::kalshi ? kalshi_ticker(i) : polymarket_token(rng_));
    markets_.push_back(m);
  }
  peak_micros_ = starting_capital_.micros;
}

uint64_t MarketSimulator::lognormal_ns(double median_ns, double sigma) {
  std::lognormal_distribution<double> d(std::log(median_ns), sigma);
  return static_cast<uint64_t>(d(rng_));
}

void MarketSimulator::move_book(Market& m, int64_t mono_ns) {
  std::normal_distribution<double> walk(0.0, 0.6);
  const int32_t step = static_cast<int32_t>(std::lround(walk(rng_))) * m.tick;
  m.mid = std::clamp(m.mid + step, 2 * m.tick, 10'000 - 2 * m.tick);
  std::normal_distribution<double> noise(0.0, 0.004);
  m.fair = std::clamp(0.9 * m.fair + 0.1 * (m.mid / 10'000.0) + noise(rng_), 0.001, 0.999);

  std::uniform_int_distribution<int64_t> contracts(1, 800);
  const int64_t lot = m.venue == Venue::kalshi ? Qty::kUnitsPerContract : Qty::kUnitsPerContract / 100;
  shm::BookTop top;
  top.bid_ticks = m.mid - m.tick;
  top.ask_ticks = m.mid + m.tick;
  top.bid_size = contracts(rng_) * lot * (m.venue == Venue::kalshi ? 1 : 100);
  top.ask_size = contracts(rng_) * lot * (m.venue == Venue::kalshi ? 1 : 100);
  if (rng_() % 50 == 0) top.ask_size = 0;  // one side empty now and then
  top.fair_value = m.fair;
  top.updated_ns = mono_ns;
  if (rng_() % 200 == 0) top.flags |= shm::kBookStale;
  writer_.publish_top(m.id, top);

  const size_t tape = m.venue == Venue::kalshi ? 0 : 1;
  if (tape < tapes_.size())
    tapes_[tape].append(fmt::format(R"({{"type":"orderbook_delta","market":{},"price":{},"delta":{}}})", m.id,
                                    top.bid_ticks, top.bid_size / lot),
                        mono_ns);
  (m.venue == Venue::kalshi ? kalshi_in_ : polymarket_in_).add();
  writer_.histogram(shm::Stage::feed_parse).record(lognormal_ns(450, 0.5));
}

void MarketSimulator::record_latencies() {
  const uint64_t to_strategy = lognormal_ns(180, 0.4);
  const uint64_t decision = lognormal_ns(350, 0.5);
  const uint64_t to_gateway = lognormal_ns(150, 0.4);
  const uint64_t send = lognormal_ns(2'200, 0.6);
  writer_.histogram(shm::Stage::feed_to_strategy).record(to_strategy);
  writer_.histogram(shm::Stage::strategy_decision).record(decision);
  writer_.histogram(shm::Stage::strategy_to_gateway).record(to_gateway);
  writer_.histogram(shm::Stage::gateway_send).record(send);
  writer_.histogram(shm::Stage::tick_to_order)
      .record(lognormal_ns(450, 0.5) + to_strategy + decision + to_gateway + send);
}

void MarketSimulator::update_threads_and_rings(int64_t mono_ns) {
  const int64_t elapsed = last_mono_ns_ == 0 ? 0 : mono_ns - last_mono_ns_;
  last_mono_ns_ = mono_ns;
  static constexpr double kBusy[] = {0.12, 0.08, 0.21, 0.03};
  for (size_t i = 0; i < 4; ++i) {
    shm::ThreadSlot& t = *threads_[i];
    // Busy-polling threads spin about every 80 ns.
    t.loops.store(t.loops.load(std::memory_order_relaxed) + static_cast<uint64_t>(elapsed / 80),
                  std::memory_order_relaxed);
    t.busy_ns.store(t.busy_ns.load(std::memory_order_relaxed) +
                        static_cast<uint64_t>(static_cast<double>(elapsed) * kBusy[i]),
                    std::memory_order_relaxed);
    t.updated_ns.store(mono_ns, std::memory_order_relaxed);
  }
  for (shm::RingSlot* r : rings_) {
    const uint64_t occupancy = rng_() % 100 == 0 ? rng_() % (r->capacity / 8) : rng_() % 8;
    r->occupancy.store(occupancy, std::memory_order_relaxed);
    if (occupancy > r->high_water.load(std::memory_order_relaxed))
      r->high_water.store(occupancy, std::memory_order_relaxed);
  }
}

int32_t MarketSimulator::mark(uint32_t instrument) const noexcept {
  return instrument < markets_.size() ? markets_[instrument].mid : 0;
}

void MarketSimulator::maybe_trade(int64_t wall_ns) {
  if (markets_.empty() || rng_() % 40 != 0) return;
  Market& m = markets_[rng_() % markets_.size()];
  const uint8_t strategy = static_cast<uint8_t>(rng_() % 4);
  const int64_t size = static_cast<int64_t>(1 + rng_() % 20) * Qty::kUnitsPerContract;

  shm::OpportunityRow opportunity;
  opportunity.wall_ns = wall_ns;
  opportunity.strategy = strategy;
  opportunity.legs = 1;
  opportunity.instrument[0] = m.id;
  opportunity.price_ticks[0] = m.mid + m.tick;
  opportunity.size_units = size;
  opportunity.ev_micros = static_cast<int64_t>(rng_() % 50'000);
  opportunity.kelly_fraction = 0.01 + static_cast<double>(rng_() % 40) / 1000.0;
  opportunity.expiry_wall_ns = wall_ns + 86'400'000'000'000LL;
  writer_.append_opportunity(opportunity);
  opportunities_.add();

  shm::OrderRow order;
  order.wall_ns = wall_ns;
  order.client_order_id = next_order_id_++;
  order.instrument = m.id;
  order.venue = static_cast<uint8_t>(m.venue);
  order.side = static_cast<uint8_t>(Side::buy);
  order.strategy = strategy;
  order.price_ticks = m.mid + m.tick;
  order.quantity_units = size;
  order.status = 1;  // sent
  writer_.append_order(order);
  orders_.add();
  if (rng_() % 10 == 0) {
    order.status = 5;  // rejected
    writer_.append_order(order);
    rejects_.add();
    return;
  }
  order.status = 3;  // filled
  order.filled_units = size;
  order.fee_micros = notional(Price::from_ticks(order.price_ticks), Qty::from_units(size)).micros / 100;
  writer_.append_order(order);
  fills_.add();
  fees_micros_ += order.fee_micros;
  ++trades_;

  auto it = std::find_if(positions_.begin(), positions_.end(),
                         [&](const Position& p) { return p.row.quantity != 0 && p.row.instrument == m.id; });
  if (it == positions_.end()) {
    it = std::find_if(positions_.begin(), positions_.end(),
                      [](const Position& p) { return p.row.quantity == 0; });
    if (it == positions_.end()) {
      if (positions_.size() >= writer_.geometry().max_positions) return;
      positions_.push_back(Position{static_cast<uint32_t>(positions_.size()), {}});
      it = positions_.end() - 1;
    }
    it->row = shm::PositionRow{};
    it->row.instrument = m.id;
    it->row.venue = static_cast<uint8_t>(m.venue);
    it->row.opened_wall_ns = wall_ns;
  }
  shm::PositionRow& row = it->row;
  const int64_t quantity = row.quantity + size;
  row.avg_price_ticks = (row.avg_price_ticks * row.quantity + int64_t{order.price_ticks} * size) / quantity;
  row.quantity = quantity;
  row.fees_micros += order.fee_micros;
}

void MarketSimulator::close_position(Position& p, int64_t wall_ns) {
  if (p.row.quantity == 0) return;
  const Money pnl =
      notional(Price::from_ticks(static_cast<int32_t>(mark(p.row.instrument) - p.row.avg_price_ticks)),
               Qty::from_units(p.row.quantity));
  realized_micros_ += pnl.micros;
  consecutive_losses_ = pnl.micros < 0 ? consecutive_losses_ + 1 : 0;
  shm::OrderRow exit;
  exit.wall_ns = wall_ns;
  exit.client_order_id = next_order_id_++;
  exit.instrument = p.row.instrument;
  exit.venue = p.row.venue;
  exit.side = static_cast<uint8_t>(Side::sell);
  exit.status = 3;    // filled
  exit.strategy = 4;  // exit
  exit.price_ticks = mark(p.row.instrument);
  exit.quantity_units = p.row.quantity;
  exit.filled_units = p.row.quantity;
  writer_.append_order(exit);
  orders_.add();
  fills_.add();
  writer_.publish_position(p.slot, shm::PositionRow{});  // the slot is empty again
  p.row.quantity = 0;
}

void MarketSimulator::close_positions(int64_t wall_ns) {
  for (Position& p : positions_)
    close_position(p, wall_ns);
}

size_t MarketSimulator::open_positions() const noexcept {
  return static_cast<size_t>(std::count_if(positions_.begin(), positions_.end(),
                                           [](const Position& p) { return p.row.quantity != 0; }));
}

void MarketSimulator::publish_positions_and_account(int64_t wall_ns, uint32_t extra_breakers) {
  int64_t unrealized = 0;
  int64_t exposure = 0;
  for (Position& p : positions_) {
    if (p.row.quantity == 0) continue;
    const int32_t mid = mark(p.row.instrument);
    p.row.unrealized_micros = notional(Price::from_ticks(static_cast<int32_t>(mid - p.row.avg_price_ticks)),
                                       Qty::from_units(p.row.quantity))
                                  .micros;
    unrealized += p.row.unrealized_micros;
    exposure += notional(Price::from_ticks(static_cast<int32_t>(p.row.avg_price_ticks)),
                         Qty::from_units(p.row.quantity))
                    .micros;
    writer_.publish_position(p.slot, p.row);
  }
  shm::AccountRow account;
  account.realized_micros = realized_micros_ - fees_micros_;
  account.unrealized_micros = unrealized;
  account.capital_micros = starting_capital_.micros + account.realized_micros + unrealized;
  peak_micros_ = std::max(peak_micros_, account.capital_micros);
  account.peak_micros = peak_micros_;
  account.daily_pnl_micros = account.realized_micros + unrealized;
  account.fees_micros = fees_micros_;
  account.drawdown_pct = peak_micros_ > 0
                             ? 100.0 * static_cast<double>(peak_micros_ - account.capital_micros) /
                                   static_cast<double>(peak_micros_)
                             : 0.0;
  account.open_positions = static_cast<uint32_t>(open_positions());
  account.trades_today = trades_;
  writer_.publish_account(account);

  shm::RiskRow risk;
  risk.breakers = extra_breakers;
  risk.consecutive_losses = consecutive_losses_;
  risk.daily_loss_micros = std::max<int64_t>(0, -account.daily_pnl_micros);
  risk.exposure_micros = exposure;
  risk.open_orders = static_cast<uint32_t>(rng_() % 3);
  risk.orders_last_minute = static_cast<uint32_t>(std::min<uint64_t>(orders_.value(), 60));
  (void)wall_ns;
  writer_.publish_risk(risk);
}

void MarketSimulator::step(int64_t mono_ns, int64_t wall_ns, bool halted, uint32_t extra_breakers) {
  if (!markets_.empty()) {
    const size_t moves = 1 + markets_.size() / 8;
    for (size_t i = 0; i < moves; ++i)
      move_book(markets_[rng_() % markets_.size()], mono_ns);
  }
  if (rng_() % 1000 == 0) parse_errors_.add();
  if (rng_() % 2000 == 0) sequence_gaps_.add();
  if (rng_() % 20000 == 0) reconnects_.add();
  record_latencies();
  update_threads_and_rings(mono_ns);
  if (!halted) maybe_trade(wall_ns);
  if (!halted && !positions_.empty() && rng_() % 60 == 0)
    close_position(positions_[rng_() % positions_.size()], wall_ns);
  publish_positions_and_account(wall_ns, extra_breakers);
}

}  // namespace pmx::writer
