// Route tests: a real pmx-dash server on loopback (port chosen by the kernel) against
// pmx-shm-writer, the stand-in engine, or an in-process StateWriter where a test needs
// hand-made state (a market title with <script>).
#include "dash_server.h"

#include <filesystem>
#include <memory>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <httplib.h>

#include "pmx/core/clock.h"

#include "../tools/tool_process.h"
#include "exposition_checker.h"
#include "pages.h"

namespace pmx::dash {
namespace {

using tools_test::eventually;
using tools_test::test_instance;
using tools_test::Writer;
namespace json = boost::json;

constexpr const char* kToken = "tok-7f3a9c1e5b2d4f60";
const httplib::Headers kAuth = {{"Authorization", std::string("Bearer ") + kToken}};
constexpr const char* kForm = "application/x-www-form-urlencoded";

class DashRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    instance_ = test_instance();
    dir_ = std::filesystem::temp_directory_path() / ("pmx-dash-test-" + instance_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    client_.reset();
    server_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  void start(Config config = {}) {
    DashOptions options;
    options.instance = instance_;
    options.database = dir_ / "pmx.db";
    options.assets = dir_ / "no-assets";
    options.config = std::move(config);
    server_ = std::make_unique<DashServer>(options, AccessToken(kToken));
    const int port = server_->bind("127.0.0.1", 0);
    server_->start();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port);
    client_->set_read_timeout(10, 0);
  }

  int status(const std::string& path) {
    const auto res = client_->Get(path.c_str());
    return res ? res->status : -1;
  }
  std::string body(const std::string& path) {
    const auto res = client_->Get(path.c_str());
    return res ? res->body : std::string();
  }
  json::value json_of(const std::string& path) { return json::parse(body(path)); }
  httplib::Result post(const std::string& path, const std::string& form,
                       const httplib::Headers& headers = kAuth) {
    return client_->Post(path.c_str(), headers, form, kForm);
  }
  bool healthy() { return status("/health") == 200; }

  std::string instance_;
  std::filesystem::path dir_;
  std::unique_ptr<DashServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(DashRoutes, HealthIs503UntilTheEngineStartsThen200) {
  start();
  EXPECT_EQ(status("/health"), 503);
  EXPECT_EQ(json_of("/health").at("status"), "no_engine");
  Writer writer(instance_);
  ASSERT_TRUE(writer.wait_ready());
  EXPECT_TRUE(eventually([&] { return healthy(); }));
}

TEST_F(DashRoutes, SurvivesAnEngineRestart) {
  start();
  {
    Writer first(instance_);
    ASSERT_TRUE(first.wait_ready());
    ASSERT_TRUE(eventually([&] { return healthy(); }));
  }
  EXPECT_TRUE(eventually([&] { return status("/health") == 503; }));
  EXPECT_EQ(status("/api/stats"), 503);
  Writer second(instance_);
  ASSERT_TRUE(second.wait_ready());
  EXPECT_TRUE(eventually([&] { return healthy(); }));
  EXPECT_EQ(json_of("/api/stats").at("engine"), "attached");
  const test::Exposition metrics = test::check_exposition(body("/metrics"));
  EXPECT_EQ(metrics.series.at("pmx_dash_engine_attaches_total{instance=\"" + instance_ + "\"}"), "2");
}

TEST_F(DashRoutes, ControlWithoutTheTokenIs401AndChangesNothing) {
  Writer writer(instance_);
  ASSERT_TRUE(writer.wait_ready());
  start();
  for (const char* path : {"/api/kill-switch", "/api/resume", "/api/mode", "/api/config"}) {
    const auto none = post(path, "mode=paper&key=risk.max_drawdown_pct&value=10", {});
    ASSERT_TRUE(none);
    EXPECT_EQ(none->status, 401) << path;
    const auto wrong = post(path, "", {{"Authorization", "Bearer not-the-token"}});
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->status, 401) << path;
  }
  shm::StateReader reader(instance_);
  EXPECT_EQ(reader.control().next_ticket.load(), 0u) << "no command reached the mailbox";
  EXPECT_EQ(json_of("/api/stats").at("halted"), false);
}

TEST_F(DashRoutes, KillSwitchWithTheTokenHaltsTheEngine) {
  Writer writer(instance_);
  ASSERT_TRUE(writer.wait_ready());
  start();
  const auto res = post("/api/kill-switch", "close_positions=false");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json::parse(res->body).at("result"), "applied");
  EXPECT_EQ(json_of("/api/stats").at("halted"), true);
  EXPECT_EQ(json_of("/api/stats").at("breakers").as_array().size(), 1u);
}

TEST_F(DashRoutes, StatsMatchShmTopJson) {
  Writer writer(instance_);
  ASSERT_TRUE(writer.wait_ready());
  start();
  // Halted and flat, the account stops moving, so both readers see the same values.
  ASSERT_EQ(post("/api/kill-switch", "close_positions=true")->status, 200);
  ASSERT_TRUE(eventually([&] { return json_of("/api/stats").at("open_positions") == 0; }));
  const tools_test::Output top = tools_test::run({PMX_SHM_TOP, "--instance", instance_, "--json"});
  ASSERT_EQ(top.exit_code, 0) << top.err;
  const json::value shm_top = json::parse(top.out);
  const json::value stats = json_of("/api/stats");
  for (const char* key : {"capital", "realized", "unrealized", "daily", "peak"})
    EXPECT_EQ(stats.at(key), shm_top.at("pnl").at(key)) << key;
  EXPECT_EQ(stats.at("halted"), shm_top.at("engine").at("halted"));
  EXPECT_EQ(stats.at("mode"), shm_top.at("engine").at("mode"));
}

TEST_F(DashRoutes, InvalidConfigValueIs400AndNeverReachesTheEngine) {
  Writer writer(instance_);
  ASSERT_TRUE(writer.wait_ready());
  start();
  const auto res = post("/api/config", "key=risk.max_drawdown_pct&value=150");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("must be a number in (0, 100]"), std::string::npos) << res->body;
  shm::StateReader reader(instance_);
  EXPECT_EQ(reader.control().next_ticket.load(), 0u);
}

TEST_F(DashRoutes, NonRuntimeConfigKeyIsRefused) {
  start();
  const auto res = post("/api/config", "key=engine.instance&value=other");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
}

TEST_F(DashRoutes, UnknownConfigKeyIs400) {
  start();
  EXPECT_EQ(post("/api/config", "key=risk.no_such_key&value=1")->status, 400);
}

TEST_F(DashRoutes, ValidRuntimeConfigIsAppliedByTheEngine) {
  Writer writer(instance_);
  ASSERT_TRUE(writer.wait_ready());
  start();
  const auto res = post("/api/config", "key=risk.max_drawdown_pct&value=15");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_NE(res->body.find("risk.max_drawdown_pct = 15"), std::string::npos) << res->body;
  EXPECT_NE(body("/settings").find("risk.max_drawdown_pct = 15.0"), std::string::npos);
}

TEST_F(DashRoutes, LiveModeNeedsTheConfirmationField) {
  Writer writer(instance_);
  ASSERT_TRUE(writer.wait_ready());
  start();
  EXPECT_EQ(post("/api/mode", "mode=live")->status, 400);
  EXPECT_EQ(post("/api/mode", "mode=sideways")->status, 400);
  // Confirmed, the stand-in engine (started without --allow-live) refuses: 409 with its reason.
  const auto res = post("/api/mode", "mode=live&confirm=live");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 409);
  EXPECT_EQ(json_of("/api/stats").at("mode"), "paper");
}

TEST_F(DashRoutes, MalformedControlBodyIs400) {
  start();
  EXPECT_EQ(post("/api/kill-switch", "close_positions=%zz")->status, 400);
  EXPECT_EQ(post("/api/kill-switch", "close_positions=perhaps")->status, 400);
  EXPECT_EQ(post("/api/mode", "mode")->status, 400);
}

TEST_F(DashRoutes, ControlWithoutAnEngineIs503) {
  start();
  EXPECT_EQ(post("/api/kill-switch", "")->status, 503);
}

TEST_F(DashRoutes, EveryPageAnswersHtmlWithoutAnEngine) {
  start();
  for (const PageInfo& page : pages()) {
    const auto res = client_->Get(std::string(page.path).c_str());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << page.path;
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
    EXPECT_NE(res->body.find("/static/app.js"), std::string::npos);
  }
  EXPECT_NE(body("/fragment/positions").find("Waiting for the engine"), std::string::npos);
}

TEST_F(DashRoutes, UnknownPanelIs404) {
  Writer writer(instance_);
  ASSERT_TRUE(writer.wait_ready());
  start();
  ASSERT_TRUE(eventually([&] { return healthy(); }));
  EXPECT_EQ(status("/fragment/nosuch"), 404);
}

TEST_F(DashRoutes, MetricsParseAsPrometheusText) {
  Writer writer(instance_);
  ASSERT_TRUE(writer.wait_ready());
  start();
  ASSERT_TRUE(eventually([&] { return healthy(); }));
  const auto res = client_->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const test::Exposition e = test::check_exposition(res->body);
  EXPECT_TRUE(e.problems.empty()) << ::testing::PrintToString(e.problems);
  EXPECT_EQ(e.series.at("pmx_engine_up{instance=\"" + instance_ + "\"}"), "1");
  EXPECT_TRUE(e.series.count("pmx_counter_total{instance=\"" + instance_ + "\",name=\"orders\"}"));
}

TEST_F(DashRoutes, EventsStreamPushesStateEvents) {
  Writer writer(instance_);
  ASSERT_TRUE(writer.wait_ready());
  start();
  std::string received;
  int events = 0;
  client_->Get("/api/events", [&](const char* data, size_t length) {
    received.append(data, length);
    size_t at = 0;
    events = 0;
    while ((at = received.find("event: state\ndata: ", at)) != std::string::npos) {
      ++events;
      ++at;
    }
    return events < 3;  // false ends the stream
  });
  ASSERT_GE(events, 3);
  const size_t start_of_data = received.find("data: ") + 6;
  const json::value first =
      json::parse(received.substr(start_of_data, received.find('\n', start_of_data) - start_of_data));
  EXPECT_TRUE(first.at("stats").is_object());
  EXPECT_TRUE(first.at("state").is_object() || first.at("stats").at("engine") == "absent");
}

TEST_F(DashRoutes, MarketTitleWithScriptTagRendersAsText) {
  shm::Geometry geometry;
  geometry.max_instruments = 64;
  geometry.max_positions = 8;
  geometry.tape_count = 1;
  geometry.tape_entries = 1u << 10;
  geometry.tape_bytes = 1u << 16;
  shm::StateWriter engine(instance_, geometry, shm::TradingMode::paper);
  engine.add_instrument(0, 0, "<script>alert(1)</script>");
  shm::PositionRow row;
  row.instrument = 0;
  row.quantity = 5'000'000;
  row.avg_price_ticks = 4800;
  engine.publish_position(0, row);
  engine.heartbeat(mono_now().ns);
  start();
  ASSERT_TRUE(eventually([&] { return body("/api/positions").find("alert") != std::string::npos; }));
  const std::string html = body("/fragment/positions");
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos) << html;
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  const std::string api = body("/api/positions");
  EXPECT_EQ(api.find("<script>"), std::string::npos) << api;
  EXPECT_EQ(json::parse(api).at(0).at("instrument"), "<script>alert(1)</script>");
}

TEST_F(DashRoutes, NoSecretOrTokenInAnyAnswer) {
  Config config;
  ASSERT_TRUE(set_config_key(config, "venues.polymarket.private_key",
                             "0x" + std::string(4 * 16, '0').replace(0, 16, "deadbeefcafef00d"))
                  .ok());
  ASSERT_TRUE(
      set_config_key(config, "alerts.discord_webhook_url", "https://discord.com/api/webhooks/1/secrettoken")
          .ok());
  Writer writer(instance_);
  ASSERT_TRUE(writer.wait_ready());
  start(config);
  ASSERT_TRUE(eventually([&] { return healthy(); }));
  std::vector<std::string> paths = {"/metrics",           "/api/stats",   "/api/state", "/api/positions",
                                    "/api/opportunities", "/api/history", "/health"};
  for (const PageInfo& page : pages())
    paths.emplace_back(page.path);
  for (const std::string& path : paths) {
    const std::string text = body(path);
    EXPECT_FALSE(text.empty()) << path;
    EXPECT_EQ(text.find(kToken), std::string::npos) << path;
    EXPECT_EQ(text.find("deadbeefcafef00d"), std::string::npos) << path;
    EXPECT_EQ(text.find("secrettoken"), std::string::npos) << path;
  }
}

}  // namespace
}  // namespace pmx::dash
