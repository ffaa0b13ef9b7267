// GatewayStage<Backend>: the gateway thread's loop body around OrderGateway<Backend>. One poll()
// is one round and never blocks:
//
//   1. book_mirror  every market event the strategy applied -> the backend's books (PaperExchange
//                   fills against them; a live session without books ignores them). Drained
//                   BEFORE intents: the strategy forwards an event before the intents it caused,
//                   so an intent never meets a book older than the one it was decided on.
//   2. intents      a cancel-all message (kIntentCancelAll) -> OrderGateway::cancel_all. An order:
//                   its client order id (ClientOrderIdAllocator) and the intent go to the ops queue
//                   FIRST; only if that push succeeded is the intent handed to the gateway (an
//                   order the database cannot know of is never sent: it is answered rejected).
//                   When the gateway sent the request at once, (request ready - the intent's
//                   receive timestamp) goes to the tick_to_order histogram and (request ready -
//                   intent read) to gateway_send.
//                   The intent handed over carries kIntentRecorded (pmx/engine/recording_backend.h).
//   3. reports      OrderGateway::poll (sends due children, advances the backend) -> every report
//                   to the reports ring (a local backlog keeps order when the ring is full);
//                   fills and terminal reports to ops and to the shm orders log.
//
// Gateway-made orders (arbitrage unwinds): with a RecordingBackend as Backend, the first child of
// such an order is recorded here (client order id, OrderSubmittedRecord under a database id
// run_scoped_id(kGatewayIntentBit, run_epoch, n)) before it leaves, or refused. The gateway's own
// id of the order (kGatewayIntentBit | a per-run count, reused after a restart) never reaches the
// database or the strategy: its reports are renamed to the database id. A report is matched to its
// recorded order by the gateway id once known, else by the oldest recorded order of the same
// instrument, outcome and side not yet matched (the gateway reports an order only after its first
// child left, or rejects it before any child: such an order gets a fresh database id and no row).
// Two unwinds of one book at once, the earlier rejected inside the gateway before its first
// child, could swap rows; the gateway exposes nothing finer to the stage.
//
// Time is injected (`now` for the venue/paper clock, `mono` for rate limits); latency stamps use
// options.clock. Single-threaded, noexcept, allocation-free after construction (the allocator's
// next() does a synchronous SQLite write only when the ops thread failed to reserve a spare block
// in time: once per block, documented there).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <vector>

#include "pmx/core/clock.h"
#include "pmx/core/order.h"
#include "pmx/core/risk_rejection.h"
#include "pmx/engine/engine_rings.h"
#include "pmx/engine/recording_backend.h"
#include "pmx/gateway/order_gateway.h"
#include "pmx/persist/client_order_id_allocator.h"
#include "pmx/persist/ops_queue.h"
#include "pmx/persist/run_epoch.h"
#include "pmx/shm/segment.h"

namespace pmx {

struct GatewayStageOptions {
  size_t max_mirror_events_per_round = 4096;
  size_t max_intents_per_round = 256;
  size_t report_backlog = 16384;             // reports waiting for room in the reports ring
  MonoNanos (*clock)() noexcept = mono_now;  // latency stamps only
  uint64_t run_epoch = 0;                    // begin_run()'s value: folded into gateway-made order ids
};

struct GatewayStageCounters {
  uint64_t rounds = 0;
  uint64_t mirror_events = 0;
  uint64_t intents = 0;       // orders taken from the ring (cancel-alls not included)
  uint64_t sent_at_once = 0;  // orders whose first request left in the same round
  uint64_t cancel_alls = 0;
  uint64_t refused_no_id = 0;     // no client order id could be reserved: answered rejected
  uint64_t refused_ops_full = 0;  // the ops queue could not record it: answered rejected
  uint64_t reports = 0;
  uint64_t fills = 0;  // fill and partial_fill reports
  uint64_t terminal = 0;
  uint64_t report_backlog_high = 0;
  uint64_t reports_lost = 0;            // backlog full (a sizing bug): counted, never silent
  uint64_t ops_dropped = 0;             // exec-report records the ops queue refused
  uint64_t gateway_orders = 0;          // gateway-made orders recorded before they left
  uint64_t gateway_orders_refused = 0;  // ... that could not be recorded: never sent
};

template <typename Backend>
class GatewayStage {
 public:
  // Start-up (allocates; registers shm counters). `shm`, `ops`, `ids` may be null: without `ids`
  // the client order id is "pmx-0-<intent id>" (backtests). All must outlive the stage.
  GatewayStage(OrderGateway<Backend>& gateway, Backend& backend, EngineRings& rings, shm::StateWriter* shm,
               OpsQueue* ops, ClientOrderIdAllocator* ids, GatewayStageOptions options = {})
      : gateway_(gateway),
        backend_(backend),
        rings_(rings),
        shm_(shm),
        ops_(ops),
        ids_(ids),
        options_(options),
        backlog_(options.report_backlog == 0 ? 1 : options.report_backlog),
        client_ids_(kClientIdSlots) {
    if (ops_ != nullptr) producer_.emplace(ops_->make_producer());
    if (shm_ != nullptr) {
      shm_tick_to_order_ = &shm_->histogram(shm::Stage::tick_to_order);
      shm_gateway_send_ = &shm_->histogram(shm::Stage::gateway_send);
      for (const char* name : kCounterNames)
        shm_counters_.push_back(shm_->add_counter(name));
    }
    if constexpr (requires { backend_.set_recorder(&GatewayStage::on_gateway_order, this); })
      backend_.set_recorder(&GatewayStage::on_gateway_order, this);
  }
  GatewayStage(const GatewayStage&) = delete;
  GatewayStage& operator=(const GatewayStage&) = delete;

  bool poll(WallNanos now, MonoNanos mono) noexcept {
    ++counters_.rounds;
    bool worked = flush_backlog();
    size_t n = 0;
    for (; n < options_.max_mirror_events_per_round; ++n) {
      const MarketEvent* event = rings_.book_mirror.front();
      if (event == nullptr) break;
      if constexpr (requires { backend_.on_market_event(*event, now); })
        backend_.on_market_event(*event, now);
      rings_.book_mirror.pop();
    }
    counters_.mirror_events += n;
    worked |= n > 0;
    for (n = 0; n < options_.max_intents_per_round; ++n) {
      const OrderIntent* intent = rings_.intents.front();
      if (intent == nullptr) break;
      const MonoNanos read = options_.clock();
      on_intent(*intent, now, mono, read);
      rings_.intents.pop();
    }
    worked |= n > 0;
    const uint64_t before = counters_.reports;
    gateway_.poll(now, mono, [&](const ExecReport& r) { on_report(r); });
    worked |= counters_.reports != before;
    if (worked) publish_counters();
    return worked;
  }

  // Intents still working (for shutdown: wait until the cancels are answered).
  size_t open_orders() const noexcept { return gateway_.active_intents(); }
  size_t report_backlog() const noexcept { return backlog_count_; }

  const GatewayStageCounters& counters() const noexcept { return counters_; }
  // Every tick-to-trade figure of this stage (the shm histogram gets the same values).
  const shm::LatencyHistogram& tick_to_trade() const noexcept { return tick_to_trade_; }

 private:
  static constexpr const char* kCounterNames[] = {
      "gateway.intents",  "gateway.cancel_alls",  "gateway.refused",    "gateway.fills",
      "gateway.terminal", "gateway.reports_lost", "gateway.ops_dropped"};
  static constexpr size_t kClientIdSlots = 4096;     // intent id -> client order sequence (shm rows)
  static constexpr size_t kGatewayOrderSlots = 256;  // gateway-made orders in flight

  void on_intent(const OrderIntent& intent, WallNanos now, MonoNanos mono, MonoNanos read) noexcept {
    if ((intent.flags & kIntentCancelAll) != 0) {
      ++counters_.cancel_alls;
      gateway_.cancel_all(now);
      return;
    }
    ++counters_.intents;
    AllocatedClientOrderId id{intent.intent_id, format_client_order_id(0, intent.intent_id)};
    if (ids_ != nullptr) {
      const std::optional<AllocatedClientOrderId> next = ids_->next();
      if (!next) {
        ++counters_.refused_no_id;
        refuse(intent, now);
        return;
      }
      id = *next;
    }
    if (ops_ != nullptr &&
        !ops_->try_push(*producer_, OpsEvent::of(OrderSubmittedRecord{intent, id.id, now}))) {
      ++counters_.refused_ops_full;
      refuse(intent, now);
      return;
    }
    client_ids_[intent.intent_id & (kClientIdSlots - 1)] = ClientIdSlot{intent.intent_id, id.sequence};
    const uint64_t sent_before = gateway_.counters().children_sent;
    OrderIntent recorded = intent;
    recorded.flags = static_cast<uint8_t>(recorded.flags | kIntentRecorded);
    gateway_.on_intent(recorded, now, mono);
    if (gateway_.counters().children_sent != sent_before) {
      ++counters_.sent_at_once;
      const MonoNanos ready = options_.clock();
      if (intent.has_receive_ts()) {
        const uint64_t tick_to_trade = static_cast<uint64_t>(ready.ns - intent.receive_ts_near(ready).ns);
        tick_to_trade_.record(tick_to_trade);
        if (shm_tick_to_order_ != nullptr) shm_tick_to_order_->record(tick_to_trade);
      }
      if (shm_gateway_send_ != nullptr && ready.ns >= read.ns)
        shm_gateway_send_->record(static_cast<uint64_t>(ready.ns - read.ns));
    }
    if (shm_ != nullptr) append_order(intent, id.sequence, 1 /* sent */, Qty{}, Money{}, now);
  }

  // An order that must not leave: answered to the strategy as rejected (its risk releases it).
  void refuse(const OrderIntent& intent, WallNanos now) noexcept { on_report(risk_rejection(intent, now)); }

  // RecordingBackend's recorder: the first child of a gateway-made order is about to leave.
  static bool on_gateway_order(void* context, const OrderIntent& first_child, WallNanos now) noexcept {
    auto& self = *static_cast<GatewayStage*>(context);
    const bool recorded = self.record_gateway_order(first_child, now);
    ++(recorded ? self.counters_.gateway_orders : self.counters_.gateway_orders_refused);
    return recorded;
  }

  bool record_gateway_order(const OrderIntent& first_child, WallNanos now) noexcept {
    GatewayOrder* free = nullptr;
    for (GatewayOrder& g : gateway_orders_)
      if (!g.used) {
        free = &g;
        break;
      }
    if (free == nullptr) return false;  // more unwinds in flight than slots: refused, never sent
    OrderIntent order = first_child;
    order.intent_id = run_scoped_id(kGatewayIntentBit, options_.run_epoch, ++gateway_order_seq_);
    AllocatedClientOrderId id{order.intent_id, format_client_order_id(0, order.intent_id)};
    if (ids_ != nullptr) {
      const std::optional<AllocatedClientOrderId> next = ids_->next();
      if (!next) return false;
      id = *next;
    }
    if (ops_ != nullptr && !ops_->try_push(*producer_, OpsEvent::of(OrderSubmittedRecord{order, id.id, now})))
      return false;
    *free = GatewayOrder{true,       order.intent_id, 0, gateway_order_seq_, order.instrument,
                         order.side, order.outcome};
    client_ids_[order.intent_id & (kClientIdSlots - 1)] = ClientIdSlot{order.intent_id, id.sequence};
    if (shm_ != nullptr) append_order(order, id.sequence, 1 /* sent */, Qty{}, Money{}, now);
    return true;
  }

  // The database id of a gateway-made order's report (see the header comment); frees its entry
  // on the terminal report.
  uint64_t database_id(const ExecReport& r) noexcept {
    GatewayOrder* match = nullptr;
    for (GatewayOrder& g : gateway_orders_)
      if (g.used && g.gateway_id == r.intent_id) {
        match = &g;
        break;
      }
    if (match == nullptr) {
      for (GatewayOrder& g : gateway_orders_)
        if (g.used && g.gateway_id == 0 && g.instrument == r.instrument && g.side == r.side &&
            g.outcome == r.outcome && (match == nullptr || g.order < match->order))
          match = &g;
      if (match != nullptr) match->gateway_id = r.intent_id;
    }
    if (match == nullptr)  // rejected inside the gateway before any child left: no row
      return run_scoped_id(kGatewayIntentBit, options_.run_epoch, ++gateway_order_seq_);
    const uint64_t id = match->database_id;
    if (is_terminal(r.type)) match->used = false;
    return id;
  }

  void on_report(const ExecReport& gateway_report) noexcept {
    ExecReport r = gateway_report;
    if ((r.intent_id & kGatewayIntentBit) != 0 && (r.intent_id & kChildOrderBit) == 0)
      r.intent_id = database_id(r);
    ++counters_.reports;
    const bool fill = r.fill_qty.units > 0;
    const bool terminal = is_terminal(r.type);
    counters_.fills += fill ? 1 : 0;
    counters_.terminal += terminal ? 1 : 0;
    if ((fill || terminal) && ops_ != nullptr && !ops_->try_push(*producer_, OpsEvent::of(r)))
      ++counters_.ops_dropped;
    if ((fill || terminal) && shm_ != nullptr) {
      OrderIntent shown;
      shown.intent_id = r.intent_id;
      shown.instrument = r.instrument;
      shown.venue = r.venue;
      shown.side = r.side;
      shown.limit_price = r.fill_price;
      shown.qty = r.cumulative_qty;
      const ClientIdSlot& slot = client_ids_[r.intent_id & (kClientIdSlots - 1)];
      append_order(shown, slot.intent_id == r.intent_id ? slot.sequence : 0, order_status(r.type),
                   r.cumulative_qty, r.fee, r.ts);
    }
    if (backlog_count_ == 0 && rings_.reports.try_push(r)) return;
    if (backlog_count_ == backlog_.size()) {
      ++counters_.reports_lost;
      return;
    }
    backlog_[(backlog_head_ + backlog_count_++) % backlog_.size()] = r;
    if (backlog_count_ > counters_.report_backlog_high) counters_.report_backlog_high = backlog_count_;
  }

  bool flush_backlog() noexcept {
    bool moved = false;
    while (backlog_count_ > 0 && rings_.reports.try_push(backlog_[backlog_head_])) {
      backlog_head_ = (backlog_head_ + 1) % backlog_.size();
      --backlog_count_;
      moved = true;
    }
    return moved;
  }

  static uint8_t order_status(ExecType type) noexcept {  // shm kOrderStatusNames
    switch (type) {
      case ExecType::accepted:
        return 1;
      case ExecType::partial_fill:
        return 2;
      case ExecType::fill:
        return 3;
      case ExecType::cancelled:
        return 4;
      case ExecType::rejected:
        return 5;
      case ExecType::expired:
        return 6;
      case ExecType::failed:
        return 7;
    }
    return 0;
  }

  void append_order(const OrderIntent& intent, uint64_t sequence, uint8_t status, Qty filled, Money fee,
                    WallNanos now) noexcept {
    shm::OrderRow row;
    row.wall_ns = now.ns;
    row.client_order_id = sequence;
    row.instrument = intent.instrument.value;
    row.venue = static_cast<uint8_t>(intent.venue);
    row.side = static_cast<uint8_t>(intent.side);
    row.status = status;
    row.strategy = static_cast<uint8_t>(intent.strategy);
    row.price_ticks = intent.limit_price.ticks;
    row.quantity_units = intent.qty.units;
    row.filled_units = filled.units;
    row.fee_micros = fee.micros;
    shm_->append_order(row);
  }

  void publish_counters() noexcept {
    if (shm_counters_.empty()) return;
    const uint64_t values[] = {
        counters_.intents,    counters_.cancel_alls, counters_.refused_no_id + counters_.refused_ops_full,
        counters_.fills,      counters_.terminal,    counters_.reports_lost,
        counters_.ops_dropped};
    static_assert(std::size(values) == std::size(kCounterNames), "one value per registered counter");
    for (size_t i = 0; i < shm_counters_.size(); ++i)
      shm_counters_[i].set(values[i]);
  }

  struct GatewayOrder {
    bool used = false;
    uint64_t database_id = 0;
    uint64_t gateway_id = 0;  // 0 until its first report names it
    uint64_t order = 0;       // recording order: the oldest unmatched is matched first
    InstrumentId instrument{};
    Side side = Side::buy;
    Outcome outcome = Outcome::yes;
  };

  struct ClientIdSlot {
    uint64_t intent_id = 0;
    uint64_t sequence = 0;
  };

  OrderGateway<Backend>& gateway_;
  Backend& backend_;
  EngineRings& rings_;
  shm::StateWriter* shm_;
  OpsQueue* ops_;
  ClientOrderIdAllocator* ids_;
  GatewayStageOptions options_;
  std::optional<OpsQueue::Producer> producer_;
  std::vector<ExecReport> backlog_;
  size_t backlog_head_ = 0;
  size_t backlog_count_ = 0;
  std::vector<ClientIdSlot> client_ids_;
  std::vector<GatewayOrder> gateway_orders_ = std::vector<GatewayOrder>(kGatewayOrderSlots);
  uint64_t gateway_order_seq_ = 0;
  std::vector<shm::Counter> shm_counters_;
  shm::LatencyHistogram* shm_tick_to_order_ = nullptr;
  shm::LatencyHistogram* shm_gateway_send_ = nullptr;
  shm::LatencyHistogram tick_to_trade_;
  GatewayStageCounters counters_;
};

}  // namespace pmx
