// What both fault-storm tests (kalshi_fault_storm_test.cpp, polymarket_fault_storm_test.cpp)
// share: the real clock, opening a session's private channel before the first order, driving a
// batch of intents to their ends under a generous deadline, the per-intent report invariants, a
// read retried through the storm, the sim's fault counts, and failure descriptions.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/core/order.h"
#include "pmx/gateway/live/live_order_table.h"
#include "pmx/gateway/order_gateway.h"

#include "sim_process.h"

namespace pmx::test::storm {

// The storms' shape: one seed for both venues, intents sent in batches, each batch's deadline.
inline constexpr uint64_t kStormSeed = 20260611;
inline constexpr int kIntents = 300;
inline constexpr int kBatch = 25;
inline constexpr auto kBatchDeadline = std::chrono::seconds(30);

// The gateway both storms run: no rate limit in the way, no replaces, and GTC limits that rest
// until the gateway cancels them after 300 ms.
inline OrderGatewayOptions storm_gateway_options(Venue venue) {
  OrderGatewayOptions go;
  go.write_tokens_per_second[static_cast<int>(venue)] = 1'000'000;
  go.write_capacity[static_cast<int>(venue)] = 1'000'000;
  go.max_replaces = 0;
  go.route.limit_timeout_ns = 300'000'000;
  go.route.min_depth = Money::dollars(1);
  return go;
}

inline WallNanos wall_now() {
  return WallNanos{std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count()};
}
inline MonoNanos mono_now() {
  return MonoNanos{std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::steady_clock::now().time_since_epoch())
                       .count()};
}

// Opens `session` (REST pool and private channel) and waits for the channel: an order event the
// venue sends before the subscription is lost for good. There is no "subscribed" signal, so after
// the open (which sends the subscribe) a bounded settle lets the sim read it. False: never opened.
template <typename Session>
bool open_private_channel(Session& session) {
  session.start(wall_now());
  const auto open_by = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (session.counters().ws_connects == 0 && std::chrono::steady_clock::now() < open_by)
    session.advance(wall_now(), [](const ExecReport&) {});
  const auto settled = std::chrono::steady_clock::now() + std::chrono::milliseconds(250);
  while (std::chrono::steady_clock::now() < settled)
    session.advance(wall_now(), [](const ExecReport&) {});
  return session.counters().ws_connects == 1;
}

// Polls `gateway` until no intent is active or `deadline` (real time) has passed.
template <typename Gateway, typename Sink>
bool drive_until_idle(Gateway& gateway, Sink&& sink, std::chrono::seconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (gateway.active_intents() > 0 && std::chrono::steady_clock::now() < until)
    gateway.poll(wall_now(), mono_now(), sink);
  return gateway.active_intents() == 0;
}

// The reports, by intent; checks one terminal report per intent and nothing after it, the
// cumulative quantities, no overfill, FOK all or nothing, no report for an intent never sent.
struct ReportSummary {
  std::map<uint64_t, std::vector<ExecReport>> by_intent;
  std::map<int32_t, int64_t> bought;  // instrument -> units filled by buys minus sells
  size_t filled_intents = 0;
};

inline ReportSummary check_reports(const std::map<uint64_t, OrderIntent>& intents,
                                   const std::vector<ExecReport>& reports) {
  ReportSummary s;
  for (const auto& r : reports) {
    EXPECT_TRUE(intents.count(r.intent_id)) << "a report for intent " << r.intent_id << ", never sent";
    s.by_intent[r.intent_id].push_back(r);
  }
  for (const auto& [id, in] : intents) {
    const auto& rs = s.by_intent[id];
    if (rs.empty()) {
      ADD_FAILURE() << "intent " << id << " has no report";
      continue;
    }
    const auto terminals =
        std::count_if(rs.begin(), rs.end(), [](const ExecReport& r) { return is_terminal(r.type); });
    EXPECT_EQ(terminals, 1) << "intent " << id;
    EXPECT_TRUE(is_terminal(rs.back().type)) << "intent " << id << ": a report after its terminal one";
    int64_t sum = 0;
    for (const auto& r : rs) {
      sum += r.fill_qty.units;
      EXPECT_EQ(r.cumulative_qty.units, sum) << "intent " << id;
    }
    EXPECT_LE(sum, in.qty.units) << "intent " << id << " overfilled";
    if (in.tif == TimeInForce::fok) {
      EXPECT_TRUE(sum == 0 || sum == in.qty.units) << "FOK " << id;
    }
    s.bought[in.instrument.value] += in.side == Side::buy ? sum : -sum;
    s.filled_intents += sum > 0 ? 1 : 0;
  }
  return s;
}

// `read()` until it returns a value (the storm answers reads with faults too); nullopt-like empty
// result after `attempts`, with a failure.
template <typename T>
T read_through_storm(const std::string& what, const std::function<bool(T&)>& read, int attempts = 20) {
  T out{};
  for (int i = 0; i < attempts; ++i) {
    try {
      if (read(out)) return out;
    } catch (const std::exception&) {
    }
  }
  ADD_FAILURE() << what << " never answered";
  return T{};
}

// Stops the sim and returns its last "order faults: ..." line as name -> count.
inline std::map<std::string, uint64_t> fault_counts(SimProcess& sim) {
  EXPECT_EQ(sim.stop(), 0);
  std::string line;
  try {
    for (;;) {
      line = sim.next_line();
      if (line.rfind("order faults: ", 0) == 0) break;
    }
  } catch (const std::exception&) {
    ADD_FAILURE() << "no 'order faults:' line";
    return {};
  }
  ::testing::Test::RecordProperty("sim_faults", line);
  std::map<std::string, uint64_t> out;
  std::string rest = line.substr(14);
  while (!rest.empty()) {
    const size_t comma = rest.find(", ");
    const std::string item = rest.substr(0, comma);
    const size_t space = item.rfind(' ');
    if (space != std::string::npos) out[item.substr(0, space)] = std::stoull(item.substr(space + 1));
    rest = comma == std::string::npos ? std::string() : rest.substr(comma + 2);
  }
  return out;
}

// The storm really happened: every REST fault fired at least once.
inline void expect_storm_happened(std::map<std::string, uint64_t> faults) {
  EXPECT_GT(faults["429"], 0u);
  EXPECT_GT(faults["5xx"], 0u);
  EXPECT_GT(faults["drop"], 0u);
  EXPECT_GT(faults["timeout"], 0u);
}

// For a failure message: the state of each order `session` still holds, and its counters.
template <typename Session>
void describe_open_orders(const Session& session) {
  auto& table = const_cast<gateway::LiveOrderTable&>(session.table());
  table.for_each_open([](const gateway::LiveOrder& o) {
    ADD_FAILURE() << "open order: child " << std::hex << o.intent.intent_id << std::dec << " tif "
                  << static_cast<int>(o.intent.tif) << " qty " << o.intent.qty.units << " venue_id '"
                  << o.venue_id.view() << "' accepted " << o.accepted << " final_known " << o.final_known
                  << " filled " << o.filled.units << " | order: wanted " << o.order.wanted << " in_flight "
                  << o.order.in_flight << " 429s " << o.order.rate_limited << " errors " << o.order.errors
                  << " maybe_arrived " << o.order.maybe_arrived << " | cancel: wanted " << o.cancel.wanted
                  << " in_flight " << o.cancel.in_flight << " 429s " << o.cancel.rate_limited << " errors "
                  << o.cancel.errors << " | lookup: cause " << static_cast<int>(o.lookup_cause) << " wanted "
                  << o.lookup.wanted << " in_flight " << o.lookup.in_flight << " errors " << o.lookup.errors;
  });
  const auto& c = session.counters();
  ADD_FAILURE() << "session: orders_sent " << c.orders_sent << " cancels_sent " << c.cancels_sent
                << " rejected_by_venue " << c.rejected_by_venue << " cancels_dropped " << c.cancels_dropped
                << " parse_errors " << c.parse_errors << " ws_connects " << c.ws_connects << " lookups_sent "
                << c.lookups_sent << " lookups_given_up " << c.lookups_given_up;
}

// The table's counters, for a failure message.
inline std::string table_summary(const gateway::LiveOrderTableCounters& t) {
  return "table: fills " + std::to_string(t.fills) + ", synthesized " + std::to_string(t.synthesized_fills) +
         ", overfills " + std::to_string(t.overfills) + ", late " + std::to_string(t.late_fills);
}

}  // namespace pmx::test::storm
