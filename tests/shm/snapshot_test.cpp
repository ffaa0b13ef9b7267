#include "pmx/shm/snapshot.h"

#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <unistd.h>

#include "shm_test_util.h"

namespace pmx::shm {
namespace {

namespace json = boost::json;

double number(const json::value& v) {
  return v.to_number<double>();
}

TEST(FormatFixed, PrintsExactDecimalsWithoutTrailingZeros) {
  EXPECT_EQ(decimal_text(4800, 4), "0.48");
  EXPECT_EQ(decimal_text(4850, 4), "0.485");
  EXPECT_EQ(decimal_text(10'000, 4), "1");
  EXPECT_EQ(decimal_text(5, 4), "0.0005");
  EXPECT_EQ(decimal_text(-1'500'000, 6), "-1.5");
  EXPECT_EQ(decimal_text(-5, 6), "-0.000005");
  EXPECT_EQ(decimal_text(0, 6), "0");
  EXPECT_EQ(decimal_text(7, 0), "7");
  EXPECT_EQ(decimal_text(INT64_MIN, 6), "-9223372036854.775808");
}

TEST(Snapshot, JsonCarriesPublishedValuesInDollarsAndContracts) {
  const std::string instance = test_instance();
  StateWriter writer(instance, small_geometry(), TradingMode::paper);
  writer.add_counter("kalshi.messages_in").add(42);
  writer.add_counter("parse_errors");
  ThreadSlot& thread = writer.add_thread("strategy", 2);
  thread.loops.store(1000);
  RingSlot& ring = writer.add_ring("kalshi->strategy", 4096);
  ring.occupancy.store(7);
  ring.high_water.store(120);
  writer.add_instrument(3, 0, "KXFEDDECISION-26DEC-H0");
  writer.add_instrument(4, 1, "never-written");  // registered, no book yet: not listed
  BookTop top;
  top.bid_ticks = 4800;
  top.bid_size = 12'500'000;  // 12.5 contracts
  top.ask_ticks = 4900;
  top.ask_size = 0;  // no ask
  top.fair_value = 0.485;
  top.updated_ns = 123;
  writer.publish_top(3, top);
  for (uint64_t v = 1; v <= 100; ++v)
    writer.histogram(Stage::feed_parse).record(v);
  PositionRow position;
  position.instrument = 3;
  position.quantity = 10'000'000;
  position.avg_price_ticks = 4750;
  position.unrealized_micros = -250'000;
  writer.publish_position(5, position);
  AccountRow account;
  account.capital_micros = 10'012'340'000;
  account.realized_micros = 12'340'000;
  account.unrealized_micros = -250'000;
  account.drawdown_pct = 1.25;
  writer.publish_account(account);
  RiskRow risk;
  risk.breakers = kBreakerKillSwitch | kBreakerDrawdown;
  risk.consecutive_losses = 2;
  risk.exposure_micros = 475'000'000;
  writer.publish_risk(risk);
  EngineStatus status;
  status.halted = 1;
  std::snprintf(status.halt_reason, sizeof status.halt_reason, "kill switch from 77");
  writer.publish_status(status);
  OrderRow order;
  order.client_order_id = 9;
  order.instrument = 3;
  order.price_ticks = 4800;
  order.quantity_units = 2'000'000;
  order.status = 3;
  writer.append_order(order);

  StateReader reader(instance);
  const Snapshot snapshot = take_snapshot(reader);
  const json::value doc = json::parse(to_json(snapshot));
  const json::object& root = doc.as_object();

  EXPECT_EQ(root.at("instance").as_string(), instance);
  const json::object& engine = root.at("engine").as_object();
  EXPECT_EQ(engine.at("pid").to_number<int64_t>(), ::getpid());
  EXPECT_EQ(engine.at("mode").as_string(), "paper");
  EXPECT_TRUE(engine.at("halted").as_bool());
  EXPECT_EQ(engine.at("halt_reason").as_string(), "kill switch from 77");
  EXPECT_GE(number(engine.at("uptime_s")), 0.0);
  EXPECT_GE(number(engine.at("heartbeat_age_ms")), 0.0);

  EXPECT_EQ(root.at("counters").at("kalshi.messages_in").to_number<uint64_t>(), 42u);
  EXPECT_EQ(root.at("counters").at("parse_errors").to_number<uint64_t>(), 0u);
  EXPECT_EQ(root.at("counters").as_object().size(), 2u) << "only registered counters";

  const json::object& parse = root.at("latency_ns").at("feed_parse").as_object();
  EXPECT_EQ(parse.at("count").to_number<uint64_t>(), 100u);
  EXPECT_EQ(parse.at("p50").to_number<uint64_t>(), 50u);
  EXPECT_EQ(parse.at("p99").to_number<uint64_t>(), 99u);
  EXPECT_EQ(parse.at("max").to_number<uint64_t>(), 100u);
  EXPECT_EQ(root.at("latency_ns").as_object().size(), kStageCount);
  EXPECT_EQ(root.at("latency_ns").at("tick_to_order").at("count").to_number<uint64_t>(), 0u);

  const json::object& r = root.at("rings").at("kalshi->strategy").as_object();
  EXPECT_EQ(r.at("capacity").to_number<uint64_t>(), 4096u);
  EXPECT_EQ(r.at("occupancy").to_number<uint64_t>(), 7u);
  EXPECT_EQ(r.at("high_water").to_number<uint64_t>(), 120u);
  EXPECT_EQ(root.at("threads").at(0).at("name").as_string(), "strategy");
  EXPECT_EQ(root.at("threads").at(0).at("cpu").to_number<int>(), 2);

  const json::array& books = root.at("books").as_array();
  ASSERT_EQ(books.size(), 1u);
  const json::object& book = books[0].as_object();
  EXPECT_EQ(book.at("venue").as_string(), "kalshi");
  EXPECT_EQ(book.at("instrument").as_string(), "KXFEDDECISION-26DEC-H0");
  EXPECT_DOUBLE_EQ(number(book.at("bid")), 0.48);
  EXPECT_DOUBLE_EQ(number(book.at("bid_size")), 12.5);
  EXPECT_TRUE(book.at("ask").is_null()) << "a missing side is null";
  EXPECT_TRUE(book.at("ask_size").is_null());
  EXPECT_DOUBLE_EQ(number(book.at("fair_value")), 0.485);
  EXPECT_EQ(book.at("updated_ns").to_number<int64_t>(), 123);

  const json::array& positions = root.at("positions").as_array();
  ASSERT_EQ(positions.size(), 1u) << "only non-empty position rows";
  EXPECT_EQ(positions[0].at("instrument").as_string(), "KXFEDDECISION-26DEC-H0");
  EXPECT_DOUBLE_EQ(number(positions[0].at("quantity")), 10.0);
  EXPECT_DOUBLE_EQ(number(positions[0].at("avg_price")), 0.475);
  EXPECT_DOUBLE_EQ(number(positions[0].at("unrealized")), -0.25);

  const json::object& pnl = root.at("pnl").as_object();
  EXPECT_DOUBLE_EQ(number(pnl.at("capital")), 10012.34);
  EXPECT_DOUBLE_EQ(number(pnl.at("realized")), 12.34);
  EXPECT_DOUBLE_EQ(number(pnl.at("unrealized")), -0.25);
  EXPECT_DOUBLE_EQ(number(pnl.at("drawdown_pct")), 1.25);

  const json::object& risk_json = root.at("risk").as_object();
  const json::array& breakers = risk_json.at("breakers").as_array();
  ASSERT_EQ(breakers.size(), 2u);
  EXPECT_EQ(breakers[0].as_string(), "drawdown");
  EXPECT_EQ(breakers[1].as_string(), "kill_switch");
  EXPECT_EQ(risk_json.at("consecutive_losses").to_number<int>(), 2);
  EXPECT_DOUBLE_EQ(number(risk_json.at("exposure")), 475.0);
  EXPECT_TRUE(risk_json.at("cooldown_until_ns").is_null());

  ASSERT_EQ(root.at("orders").as_array().size(), 1u);
  const json::object& o = root.at("orders").at(0).as_object();
  EXPECT_EQ(o.at("client_order_id").to_number<uint64_t>(), 9u);
  EXPECT_EQ(o.at("status").as_string(), "filled");
  EXPECT_EQ(o.at("instrument").as_string(), "KXFEDDECISION-26DEC-H0");
  EXPECT_DOUBLE_EQ(number(o.at("price")), 0.48);
  EXPECT_TRUE(root.at("opportunities").as_array().empty());
}

TEST(Snapshot, PricesAreWrittenAsExactDecimals) {
  const std::string instance = test_instance();
  StateWriter writer(instance, small_geometry(), TradingMode::live);
  writer.add_instrument(0, 0, "A");
  BookTop top;
  top.bid_ticks = 4800;
  top.bid_size = 1'000'000;
  top.ask_ticks = 4810;
  top.ask_size = 10'000;
  writer.publish_top(0, top);
  StateReader reader(instance);
  const std::string text = to_json(take_snapshot(reader));
  EXPECT_NE(text.find("\"bid\":0.48,"), std::string::npos) << text;
  EXPECT_NE(text.find("\"ask\":0.481,"), std::string::npos) << text;
  EXPECT_NE(text.find("\"ask_size\":0.01,"), std::string::npos) << text;
  EXPECT_NE(text.find("\"fair_value\":null"), std::string::npos) << "no estimate yet";
  EXPECT_NE(text.find("\"mode\":\"live\""), std::string::npos);
}

TEST(Snapshot, HostileInstrumentNamesAreEscaped) {
  const std::string instance = test_instance();
  StateWriter writer(instance, small_geometry(), TradingMode::paper);
  const std::string hostile = "X\"}<script>alert(1)</script>\\\n\x01\xff";
  writer.add_instrument(1, 1, hostile);
  writer.add_counter("evil\"counter");
  BookTop top;
  top.bid_ticks = 100;
  top.bid_size = 1'000'000;
  writer.publish_top(1, top);
  StateReader reader(instance);
  const std::string text = to_json(take_snapshot(reader));
  EXPECT_EQ(text.find("<script>"), std::string::npos) << text;
  EXPECT_NE(text.find("\\u003cscript\\u003e"), std::string::npos) << text;
  const json::value doc = json::parse(text);  // throws if the escaping broke the document
  const json::string& name = doc.at("books").at(0).at("instrument").as_string();
  EXPECT_EQ(std::string(name.c_str(), name.size()), "X\"}<script>alert(1)</script>\\\n\x01\xEF\xBF\xBD")
      << "the invalid byte became U+FFFD, everything else round-trips";
  EXPECT_EQ(doc.at("counters").at("evil\"counter").to_number<uint64_t>(), 0u);
}

TEST(Snapshot, RatesArePerSecondBetweenTwoSnapshots) {
  Snapshot before, after;
  before.taken_mono_ns = 1'000'000'000;
  after.taken_mono_ns = 3'000'000'000;  // two seconds later
  before.counters = {{"messages", 100}, {"fills", 10}};
  after.counters = {{"messages", 700}, {"fills", 4}, {"new", 8}};
  before.threads = {{"strategy", 0, 1'000, 100'000'000}};
  after.threads = {{"strategy", 0, 21'000, 600'000'000}};
  const Rates r = rates(before, after);
  EXPECT_DOUBLE_EQ(r.interval_s, 2.0);
  ASSERT_EQ(r.counters.size(), 3u);
  EXPECT_DOUBLE_EQ(r.counters[0].per_second, 300.0);
  EXPECT_DOUBLE_EQ(r.counters[1].per_second, 2.0) << "a counter that went down restarted from zero";
  EXPECT_DOUBLE_EQ(r.counters[2].per_second, 4.0) << "a new counter counts from zero";
  ASSERT_EQ(r.threads.size(), 1u);
  EXPECT_DOUBLE_EQ(r.threads[0].loops_per_second, 10'000.0);
  EXPECT_DOUBLE_EQ(r.threads[0].busy_pct, 25.0);
}

TEST(Snapshot, TextReportNamesTheHaltAndTheBooks) {
  const std::string instance = test_instance();
  StateWriter writer(instance, small_geometry(), TradingMode::paper);
  writer.add_instrument(0, 0, "KXBTCD-26JAN30-T100000");
  BookTop top;
  top.bid_ticks = 4800;
  top.bid_size = 1'000'000;
  writer.publish_top(0, top);
  EngineStatus status;
  status.halted = 1;
  std::snprintf(status.halt_reason, sizeof status.halt_reason, "drawdown 21%%");
  writer.publish_status(status);
  StateReader reader(instance);
  const std::string text = to_text(take_snapshot(reader));
  EXPECT_NE(text.find("HALTED: drawdown 21%"), std::string::npos) << text;
  EXPECT_NE(text.find("KXBTCD-26JAN30-T100000"), std::string::npos) << text;
  EXPECT_NE(text.find("0.48x1"), std::string::npos) << text;
}

}  // namespace
}  // namespace pmx::shm
