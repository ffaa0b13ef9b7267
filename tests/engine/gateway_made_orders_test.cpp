// Orders the gateway makes itself (arbitrage unwinds) behind GatewayStage and RecordingBackend:
// recorded with a client order id before they leave, reported under a database id that no other
// run of the engine can have, and never sent when they cannot be recorded.
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/engine/engine_rings.h"
#include "pmx/engine/gateway_stage.h"
#include "pmx/engine/recording_backend.h"
#include "pmx/gateway/order_gateway.h"
#include "pmx/gateway/paper_exchange.h"
#include "pmx/persist/client_order_id_allocator.h"
#include "pmx/persist/ops_queue.h"
#include "pmx/persist/run_epoch.h"

#include "../common/scratch_dir.h"

namespace pmx {
namespace {

constexpr Price cents(int c) {
  return Price::from_ticks(c * 100);
}

// The paper exchange, noting for every order that reaches it how many ops records existed then.
struct SpyVenue {
  PaperExchange& paper;
  OpsQueue& ops;
  std::vector<OpsEvent> recorded;
  struct Sent {
    OrderIntent order;
    size_t records_before;
  };
  std::vector<Sent> sent;

  void drain_ops() {
    OpsEvent batch[64];
    for (size_t n; (n = ops.try_pop_bulk(batch, 64)) > 0;)
      recorded.insert(recorded.end(), batch, batch + n);
  }
  bool submit(const OrderIntent& order, WallNanos now) noexcept {
    drain_ops();
    sent.push_back({order, recorded.size()});
    return paper.submit(order, now);
  }
  bool cancel(uint64_t id, WallNanos now) noexcept { return paper.cancel(id, now); }
  template <typename Sink>
  void advance(WallNanos now, Sink&& sink) noexcept {
    paper.advance(now, sink);
  }
  const BookSet& books() const noexcept { return paper.books(); }
  void on_market_event(const MarketEvent& e, WallNanos now) noexcept { paper.on_market_event(e, now); }
};

// Two Kalshi markets; an arbitrage group of one leg on each. Leg B's book is too thin, so B is
// rejected at once and A's fill is sold back by a gateway-made unwind.
class GatewayMadeOrders : public ::testing::Test {
 protected:
  GatewayMadeOrders() {
    for (const char* key : {"KXA-26-A", "KXA-26-B"}) {
      MarketInfo m;
      m.venue = Venue::kalshi;
      m.key = key;
      m.tick = cents(1);
      ids_.push_back(universe_.add_market(m));
    }
    PaperExchangeOptions o;
    o.latency_min_ns = o.latency_max_ns = 10'000'000;
    o.max_slippage_pct = 0;
    paper_ = std::make_unique<PaperExchange>(universe_, o);
    snapshot(ids_[0], 38, 60, 1'000);  // leg A: YES ask 40 x1000, YES bid 38
    snapshot(ids_[1], 38, 60, 10);     // leg B: only 10 offered
  }

  void snapshot(InstrumentId id, int yes_bid, int no_bid, int contracts) {
    MarketEvent e;
    e.venue = Venue::kalshi;
    e.instrument = id;
    e.type = EventType::snapshot_begin;
    paper_->on_market_event(e, WallNanos{});
    e.type = EventType::snapshot_level;
    e.qty = Qty::contracts(contracts);
    e.outcome = Outcome::yes;
    e.price = cents(yes_bid);
    paper_->on_market_event(e, WallNanos{});
    e.outcome = Outcome::no;
    e.price = cents(no_bid);
    paper_->on_market_event(e, WallNanos{});
    e.type = EventType::snapshot_end;
    paper_->on_market_event(e, WallNanos{});
  }

  OrderIntent leg(uint64_t id, InstrumentId instrument) {
    OrderIntent in;
    in.intent_id = id;
    in.instrument = instrument;
    in.venue = Venue::kalshi;
    in.side = Side::buy;
    in.outcome = Outcome::yes;
    in.limit_price = cents(40);
    in.decision_price = cents(40);
    in.qty = Qty::contracts(100);
    in.flags = kIntentArbitrageLeg;
    in.group_id = 77;
    in.leg_count = 2;
    return in;
  }

  struct Run {
    std::vector<OpsEvent> records;     // everything the stage sent to ops, in order
    std::vector<SpyVenue::Sent> sent;  // every order that reached the venue
    std::vector<ExecReport> reports;   // what the strategy got
    GatewayStageCounters counters;
  };

  // Both legs through a full stage; `run_epoch` as begin_run() would give it.
  Run run(uint64_t run_epoch, ClientOrderIdAllocator* ids) {
    OpsQueue ops(4096, 4);
    SpyVenue venue{*paper_, ops, {}, {}};
    RecordingBackend<SpyVenue> recording(venue, 64);
    OrderGatewayOptions gateway_options;
    gateway_options.max_parents = 64;
    OrderGateway<RecordingBackend<SpyVenue>> gateway(recording, universe_, gateway_options);
    EngineRings rings;
    GatewayStageOptions options;
    options.run_epoch = run_epoch;
    GatewayStage<RecordingBackend<SpyVenue>> stage(gateway, recording, rings, nullptr, &ops, ids, options);
    EXPECT_TRUE(rings.intents.try_push(leg(1, ids_[0])));
    EXPECT_TRUE(rings.intents.try_push(leg(2, ids_[1])));
    Run out;
    for (int64_t ms = 0; ms <= 100; ms += 10) {
      stage.poll(WallNanos{ms * 1'000'000}, MonoNanos{1'000'000'000 + ms * 1'000'000});
      while (const ExecReport* r = rings.reports.front()) {
        out.reports.push_back(*r);
        rings.reports.pop();
      }
    }
    venue.drain_ops();
    out.records = venue.recorded;
    out.sent = venue.sent;
    out.counters = stage.counters();
    return out;
  }

  static const OrderSubmittedRecord* unwind_record(const Run& r) {
    for (const OpsEvent& e : r.records)
      if (e.kind == OpsEventKind::order_submitted &&
          (e.payload.order_submitted.intent.intent_id & kGatewayIntentBit) != 0)
        return &e.payload.order_submitted;
    return nullptr;
  }

  MarketUniverse universe_;
  std::vector<InstrumentId> ids_;
  std::unique_ptr<PaperExchange> paper_;
};

TEST_F(GatewayMadeOrders, UnwindIsRecordedWithAnAllocatedClientOrderIdBeforeItLeaves) {
  test::ScratchDir dir("pmx-unwind");
  ClientOrderIdAllocator ids(dir / "pmx.db", 100);
  const Run r = run(1, &ids);
  const OrderSubmittedRecord* record = unwind_record(r);
  ASSERT_NE(record, nullptr) << "no order_submitted record for the unwind";
  EXPECT_EQ(record->intent.side, Side::sell);
  EXPECT_EQ(record->intent.instrument, ids_[0]);
  EXPECT_EQ(record->intent.qty, Qty::contracts(100));
  const auto parsed = parse_client_order_id(record->client_order_id.view());
  ASSERT_TRUE(parsed.has_value()) << record->client_order_id.view();
  EXPECT_EQ(parsed->epoch, ids.epoch()) << "minted by the allocator";

  size_t unwinds_sent = 0;
  for (const SpyVenue::Sent& s : r.sent) {
    if (s.order.side != Side::sell) continue;
    ++unwinds_sent;
    bool recorded_before = false;
    for (size_t i = 0; i < s.records_before; ++i)
      recorded_before |= r.records[i].kind == OpsEventKind::order_submitted &&
                         r.records[i].payload.order_submitted.intent.intent_id == record->intent.intent_id;
    EXPECT_TRUE(recorded_before) << "the unwind left before its record";
  }
  EXPECT_EQ(unwinds_sent, 1u);
  EXPECT_EQ(r.counters.gateway_orders, 1u);
}

TEST_F(GatewayMadeOrders, UnwindReportsCarryTheRecordedDatabaseId) {
  const Run r = run(1, nullptr);
  const OrderSubmittedRecord* record = unwind_record(r);
  ASSERT_NE(record, nullptr);
  const uint64_t id = record->intent.intent_id;
  size_t in_ops = 0, to_strategy = 0;
  for (const OpsEvent& e : r.records)
    if (e.kind == OpsEventKind::exec_report && (e.payload.exec_report.intent_id & kGatewayIntentBit) != 0) {
      EXPECT_EQ(e.payload.exec_report.intent_id, id);
      ++in_ops;
    }
  for (const ExecReport& report : r.reports)
    if ((report.intent_id & kGatewayIntentBit) != 0) {
      EXPECT_EQ(report.intent_id, id);
      EXPECT_EQ(report.type, ExecType::fill);
      ++to_strategy;
    }
  EXPECT_EQ(in_ops, 1u);
  EXPECT_EQ(to_strategy, 1u);
}

TEST_F(GatewayMadeOrders, UnwindIdsOfTwoRunsDiffer) {
  const Run first = run(1, nullptr);
  snapshot(ids_[0], 38, 60, 1'000);
  const Run second = run(2, nullptr);
  ASSERT_NE(unwind_record(first), nullptr);
  ASSERT_NE(unwind_record(second), nullptr);
  EXPECT_NE(unwind_record(first)->intent.intent_id, unwind_record(second)->intent.intent_id);
  EXPECT_EQ(unwind_record(second)->intent.intent_id, run_scoped_id(kGatewayIntentBit, 2, 1));
}

// A recorder that cannot record: the unwind is answered rejected and never reaches the venue.
struct CountingVenue {
  PaperExchange& paper;
  std::vector<OrderIntent> sent;
  bool submit(const OrderIntent& order, WallNanos now) noexcept {
    sent.push_back(order);
    return paper.submit(order, now);
  }
  bool cancel(uint64_t id, WallNanos now) noexcept { return paper.cancel(id, now); }
  template <typename Sink>
  void advance(WallNanos now, Sink&& sink) noexcept {
    paper.advance(now, sink);
  }
  const BookSet& books() const noexcept { return paper.books(); }
};

TEST_F(GatewayMadeOrders, UnwindThatCannotBeRecordedNeverLeaves) {
  CountingVenue venue{*paper_, {}};
  RecordingBackend<CountingVenue> recording(venue, 64);
  int asked = 0;
  recording.set_recorder(
      [](void* context, const OrderIntent&, WallNanos) noexcept {
        ++*static_cast<int*>(context);
        return false;
      },
      &asked);
  OrderGatewayOptions options;
  options.max_parents = 64;
  OrderGateway<RecordingBackend<CountingVenue>> gateway(recording, universe_, options);
  OrderIntent a = leg(1, ids_[0]), b = leg(2, ids_[1]);
  a.flags |= kIntentRecorded;
  b.flags |= kIntentRecorded;
  gateway.on_intent(a, WallNanos{}, MonoNanos{1'000'000'000});
  gateway.on_intent(b, WallNanos{}, MonoNanos{1'000'000'000});
  std::vector<ExecReport> reports;
  for (int64_t ms = 0; ms <= 100; ms += 10)
    gateway.poll(WallNanos{ms * 1'000'000}, MonoNanos{1'000'000'000 + ms * 1'000'000},
                 [&](const ExecReport& r) { reports.push_back(r); });
  EXPECT_EQ(asked, 1);
  for (const OrderIntent& o : venue.sent)
    EXPECT_EQ(o.side, Side::buy) << "only leg A reached the venue";
  bool unwind_rejected = false;
  for (const ExecReport& r : reports)
    unwind_rejected |= (r.intent_id & kGatewayIntentBit) != 0 && r.type == ExecType::rejected;
  EXPECT_TRUE(unwind_rejected);
  EXPECT_EQ(recording.counters().refused, 1u);
  EXPECT_EQ(gateway.active_intents(), 0u);
}

}  // namespace
}  // namespace pmx
