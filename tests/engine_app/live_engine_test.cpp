// pmx-engine --live as a program: each refusal is one line and exit code 2; and a bounded live
// run against pmx-venue-sim on loopback, whose order side checks every request's RSA-PSS
// signature against the test's freshly generated key.
//
// The Kalshi run is made deterministic by seeding the simulated account before the engine starts:
// a filled buy (a position the database does not know) and a resting bid far from the market (an
// order no session knows). The engine must cancel the bid, open the position, then — told
// `pmx-ctl kill --close-positions` — sell it through its live session, hear the fill on the
// private fill channel, record it, and on SIGTERM leave nothing resting. The run with Polymarket
// enabled too seeds a resting Polymarket bid (signed as the gateway signs its orders): start-up
// reads both accounts (GET /data/orders, /balance-allowance), cancels the bid, and SIGTERM
// leaves nothing resting at either venue.
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "pmx/core/decimal.h"
#include "pmx/gateway/kalshi_signer.h"
#include "pmx/gateway/live/kalshi_account_reads.h"
#include "pmx/gateway/live/polymarket_account_reads.h"
#include "pmx/gateway/polymarket_amounts.h"
#include "pmx/gateway/polymarket_request.h"
#include "pmx/net/http_client.h"
#include "pmx/persist/database.h"

#include "engine_processes.h"
#include "live_keys.h"

namespace pmx::app::test {
namespace {

namespace gw = pmx::gateway;

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// The string value of `"key":"..."` in a JSON text (the seed's answers), empty when absent.
std::string json_text(const std::string& json, const std::string& key) {
  const std::string opening = "\"" + key + "\":\"";
  const size_t at = json.find(opening);
  if (at == std::string::npos) return {};
  const size_t begin = at + opening.size();
  return json.substr(begin, json.find('"', begin) - begin);
}

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// The bytes of a request the gateway's builders write, as a method-less header list and body.
struct WrittenRequest {
  std::vector<net::HttpHeader> headers;
  std::string body;
};
WrittenRequest split_request(std::string_view text) {
  WrittenRequest out;
  const size_t head_end = text.find("\r\n\r\n");
  out.body = std::string(text.substr(head_end + 4));
  for (size_t at = text.find("\r\n") + 2; at < head_end;) {
    const size_t end = text.find("\r\n", at);
    const std::string_view line = text.substr(at, end - at);
    const size_t colon = line.find(": ");
    const std::string name(line.substr(0, colon));
    if (name != "Host" && name != "Content-Length")
      out.headers.push_back({name, std::string(line.substr(colon + 2))});
    at = end + 2;
  }
  return out;
}

// A scratch directory with a live configuration on free loopback ports (Kalshi only unless
// `polymarket`), a fresh RSA key pair, and the simulator checking signatures against it and
// against the Polymarket test credentials.
class LiveWorld {
 public:
  explicit LiveWorld(std::string instance, bool polymarket = false)
      : instance_(std::move(instance)), polymarket_(polymarket), port_(free_port()), poly_port_(free_port()) {
    keys_ = write_kalshi_test_keys(dir_.path());
    signer_.emplace(gw::KalshiSigner::from_pem_file(keys_.private_key));
    std::string toml = read_text(std::filesystem::path(PMX_SOURCE_DIR) / "config/demo.toml");
    replace_all(toml, "9101", std::to_string(port_));
    replace_all(toml, "9102", std::to_string(poly_port_));
    replace_all(toml, "instance = \"demo\"", "instance = \"" + instance_ + "\"");
    replace_all(toml, "state/demo/pmx.db", database().string());
    replace_all(toml, "mode = \"paper\"", "mode = \"live\"");
    std::ofstream(config()) << toml;
    if (polymarket_) {
      set_live_credentials(env_, keys_);
    } else {
      env_.set("KALSHI_API_KEY_ID", "pmx-test-key-id");
      env_.set("KALSHI_PRIVATE_KEY_PATH", keys_.private_key.string());
    }
  }
  ~LiveWorld() {
    if (engine_.running()) engine_.stop();
    if (sim_.running()) sim_.stop();
  }

  bool start_sim() {
    sim_.start({PMX_VENUE_SIM, "--config", config().string(), "--synthetic", "--kalshi-public-key",
                keys_.public_key.string(), "--poly-api-key", kPolymarketTestApiKey, "--poly-api-secret",
                kPolymarketTestSecret, "--poly-passphrase", kPolymarketTestPassphrase},
               dir_.file("sim.log"));
    return eventually(
        [&] {
          const std::string log = read_text(dir_.file("sim.log"));
          return log.find("serving kalshi rest") != std::string::npos &&
                 log.find("serving polymarket clob") != std::string::npos;
        },
        20s);
  }

  // pmx-engine --live (Polymarket off unless the world has it); waits until it trades (or exits).
  bool start_engine() {
    std::vector<std::string> args{PMX_ENGINE, "--config", config().string(), "--live", "--tape-mib", "4"};
    if (!polymarket_) {
      args.push_back("--set");
      args.push_back("venues.polymarket.enabled=false");
    }
    engine_.start(args, dir_.file("engine.log"));
    return eventually(
               [&] {
                 return engine_log().find("pmx-engine: started") != std::string::npos || !engine_.running();
               },
               30s) &&
           engine_.running();
  }

  // A signed request to the simulated Kalshi account (`endpoint` below /trade-api/v2).
  net::HttpResult kalshi(net::HttpMethod method, const std::string& endpoint, const std::string& body = {}) {
    const std::string path = "/trade-api/v2" + endpoint.substr(0, endpoint.find('?'));
    const gw::KalshiAuthHeaders h =
        signer_->headers("pmx-test-key-id", now_ms(), net::to_string(method), path);
    return http_.request(method, base() + endpoint, body,
                         {{std::string(gw::kKalshiAccessKeyHeader), h.key},
                          {std::string(gw::kKalshiAccessTimestampHeader), h.timestamp},
                          {std::string(gw::kKalshiAccessSignatureHeader), h.signature}});
  }
  std::vector<gw::RestingOrder> resting_orders() {
    std::vector<gw::RestingOrder> orders;
    std::string cursor;
    const net::HttpResult r = kalshi(net::HttpMethod::get, "/portfolio/orders?status=resting");
    EXPECT_TRUE(r.ok() && r.response.status == 200) << r.message << r.response.body;
    EXPECT_TRUE(gw::parse_kalshi_orders(r.response.body, orders, cursor).ok()) << r.response.body;
    return orders;
  }
  Qty position(const std::string& ticker) {
    std::vector<gw::VenuePosition> positions;
    std::string cursor;
    const net::HttpResult r = kalshi(net::HttpMethod::get, "/portfolio/positions");
    EXPECT_TRUE(gw::parse_kalshi_positions(r.response.body, positions, cursor).ok()) << r.response.body;
    for (const gw::VenuePosition& p : positions)
      if (p.key == ticker) return p.position;
    return Qty{};
  }
  // The first market whose matching book offers YES (something a marketable buy fills against).
  std::string liquid_ticker() {
    const net::HttpResult list = http_.get(base() + "/markets?limit=100");
    const std::string& body = list.response.body;
    for (size_t at = body.find("\"ticker\":\""); at != std::string::npos;
         at = body.find("\"ticker\":\"", at + 1)) {
      const size_t begin = at + 10;
      const std::string ticker = body.substr(begin, body.find('"', begin) - begin);
      const net::HttpResult book = http_.get(origin() + "/sim/book?market=" + ticker);
      if (book.response.status == 200 && book.response.body.find("\"yes_asks\":[[") != std::string::npos)
        return ticker;
    }
    return {};
  }
  net::HttpResult place(const std::string& ticker, const std::string& price, const std::string& tif,
                        const std::string& client_id) {
    return kalshi(net::HttpMethod::post, "/portfolio/events/orders",
                  "{\"ticker\":\"" + ticker + "\",\"client_order_id\":\"" + client_id +
                      "\",\"side\":\"bid\",\"count\":\"3.00\",\"price\":\"" + price +
                      "\",\"time_in_force\":\"" + tif +
                      "\",\"self_trade_prevention_type\":\"taker_at_cross\",\"post_only\":false,"
                      "\"cancel_order_on_pause\":false,\"reduce_only\":false}");
  }

  // The simulated Polymarket account's resting orders, read as the engine's start-up reads them.
  std::vector<gw::RestingOrder> polymarket_resting_orders() {
    auto hmac = gw::PolymarketHmac::from_secret(kPolymarketTestSecret);
    const gw::PolymarketReadAuth auth{polymarket_test_address(), kPolymarketTestApiKey,
                                      kPolymarketTestPassphrase};
    try {
      return gw::fetch_polymarket_account(http_, poly_origin(), hmac, auth, {}).orders;
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
      return {};
    }
  }
  // A GTC bid for 5 YES shares at one tick of the first plain Polymarket market: far below the
  // book, so it rests. Signed and L2-authenticated as the gateway's builder writes it.
  net::HttpResult seed_polymarket_bid() {
    const net::HttpResult list = http_.get(poly_origin() + "/markets");
    const std::string& body = list.response.body;
    const size_t plain = body.find("\"neg_risk\":false");
    const size_t token_at = body.find("\"token_id\":\"", plain);  // its tokens follow, YES first
    const size_t tick_at = body.rfind("\"minimum_tick_size\":", plain);
    if (list.response.status != 200 || plain == std::string::npos || token_at == std::string::npos ||
        tick_at == std::string::npos) {
      ADD_FAILURE() << "no plain Polymarket market in " << body.substr(0, 400);
      return {};
    }
    const size_t token_begin = token_at + 12;
    const std::string token = body.substr(token_begin, body.find('"', token_begin) - token_begin);
    const std::string tick_text = body.substr(tick_at + 20, body.find_first_of(",}", tick_at) - tick_at - 20);
    Price tick{};
    EXPECT_EQ(parse_price(tick_text, tick), DecimalError::ok) << tick_text;

    gw::PolymarketAccount account;
    account.exchange = *gw::polymarket_exchange_address(account.version, account.chain_id, false);
    account.api_key = kPolymarketTestApiKey;
    account.passphrase = kPolymarketTestPassphrase;
    gw::PolymarketRequestBuilder builder(gw::EthereumSigner::from_hex(kPolymarketTestKey),
                                         gw::PolymarketHmac::from_secret(kPolymarketTestSecret), account);
    gw::PolymarketOrder order = builder.order_template();
    order.salt = 4242;
    EXPECT_TRUE(gw::parse_uint256(token, order.token_id)) << token;
    gw::PolymarketAmounts amounts;
    EXPECT_EQ(gw::polymarket_limit_amounts(Side::buy, tick, Qty::from_units(5'000'000), tick, amounts),
              gw::GatewayError::ok);
    order.maker_amount = amounts.maker_amount;
    order.taker_amount = amounts.taker_amount;
    order.side = Side::buy;
    order.timestamp_ms = static_cast<uint64_t>(now_ms());
    std::array<char, 8192> out{};
    const auto written = builder.post_order(order, gw::PolymarketOrderType::gtc, false, now_ms() / 1000, out);
    EXPECT_TRUE(written.ok()) << gw::to_string(written.error);
    const WrittenRequest request = split_request(std::string_view(out.data(), written.size));
    return http_.post(poly_origin() + "/order", request.body, request.headers);
  }

  std::filesystem::path config() const { return dir_.file("engine.toml"); }
  std::filesystem::path database() const { return dir_.file("pmx.db"); }
  std::string engine_log() const { return read_text(dir_.file("engine.log")); }
  const std::string& instance() const { return instance_; }
  Child& engine() { return engine_; }

 private:
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string base() const { return origin() + "/trade-api/v2"; }
  std::string poly_origin() const { return "http://127.0.0.1:" + std::to_string(poly_port_); }

  std::string instance_;
  bool polymarket_;
  uint16_t port_;
  uint16_t poly_port_;
  ScratchDir dir_;
  KalshiTestKeys keys_;
  ScopedEnv env_;
  Child sim_;
  Child engine_;
  std::optional<gw::KalshiSigner> signer_;  // from keys_, once written
  net::HttpClient http_;
};

TEST(LiveEngine, ARealTradeGoesThroughTheSimulatorAndShutdownLeavesNothingResting) {
  LiveWorld world(test_instance("livee2e"));
  ASSERT_TRUE(world.start_sim());
  const std::string ticker = world.liquid_ticker();
  ASSERT_FALSE(ticker.empty()) << "the synthetic market offers nothing to buy";
  // Seed the account: a position and a resting order that no engine run knows of.
  const net::HttpResult bought = world.place(ticker, "0.9900", "immediate_or_cancel", "seed-buy-1");
  ASSERT_TRUE(bought.ok() && bought.response.status / 100 == 2) << bought.message << bought.response.body;
  const net::HttpResult rested = world.place(ticker, "0.0100", "good_till_canceled", "seed-rest-1");
  ASSERT_TRUE(rested.ok() && rested.response.status / 100 == 2) << rested.message << rested.response.body;
  ASSERT_EQ(world.resting_orders().size(), 1u);
  const Qty seeded = world.position(ticker);
  ASSERT_GT(seeded.units, 0);

  ASSERT_TRUE(world.start_engine()) << world.engine_log();
  std::string log = world.engine_log();
  EXPECT_NE(log.find("resting at start-up, unknown to this run's sessions: cancelled"), std::string::npos)
      << log;
  EXPECT_NE(log.find("held at the venue"), std::string::npos) << log;
  EXPECT_TRUE(world.resting_orders().empty()) << "start-up cancelled the seeded bid";

  // Flatten: the engine sells the position it adopted through its live Kalshi session.
  Child ctl({PMX_CTL, "--instance", world.instance(), "kill", "--close-positions"},
            world.config().parent_path() / "ctl.log");
  ASSERT_EQ(ctl.wait(), 0) << read_text(world.config().parent_path() / "ctl.log");
  const bool filled = eventually([&] { return engine_counters(world.instance())["gateway.fills"] > 0; }, 30s);
  ASSERT_TRUE(filled) << [&] {
    std::string text = world.engine_log() + "non-zero counters:";
    for (const auto& [name, value] : engine_counters(world.instance()))
      if (value != 0) text += " " + name + "=" + std::to_string(value);
    return text;
  }();

  EXPECT_EQ(world.engine().stop(SIGTERM), 0) << world.engine_log();
  log = world.engine_log();
  EXPECT_TRUE(world.resting_orders().empty()) << log;
  EXPECT_LT(world.position(ticker).units, seeded.units) << "the close reached the simulator\n" << log;
  // The fill arrived on the private fill channel, not only in a REST answer.
  const size_t at = log.find("live: kalshi: ");
  ASSERT_NE(at, std::string::npos) << log;
  EXPECT_EQ(log.find(" 0 fills on the fill channel", at), std::string::npos) << log.substr(at);
  EXPECT_GE(query(world.database(), "SELECT count(*) FROM orders WHERE venue = 'kalshi'"), 1);
  EXPECT_EQ(query(world.database(), "SELECT count(*) - count(DISTINCT client_order_id) FROM orders"), 0);
  EXPECT_GE(query(world.database(), "SELECT count(*) FROM fills WHERE venue = 'kalshi'"), 1);
  EXPECT_EQ(query(world.database(),
                  "SELECT count(*) FROM orders WHERE status IN ('submitted', 'open', "
                  "'partially_filled')"),
            0);
}

TEST(LiveEngine, WithPolymarketTooStartUpCancelsItsRestingOrderAndShutdownLeavesNothingResting) {
  LiveWorld world(test_instance("livepoly"), true);
  ASSERT_TRUE(world.start_sim());
  const net::HttpResult rested = world.seed_polymarket_bid();
  ASSERT_TRUE(rested.ok() && rested.response.status == 200) << rested.message << rested.response.body;
  ASSERT_EQ(world.polymarket_resting_orders().size(), 1u);

  ASSERT_TRUE(world.start_engine()) << world.engine_log();
  const std::string log = world.engine_log();
  const std::string order_id = json_text(rested.response.body, "orderID");
  ASSERT_FALSE(order_id.empty()) << rested.response.body;
  const size_t line = log.find("polymarket order " + order_id);
  ASSERT_NE(line, std::string::npos) << log;
  EXPECT_NE(log.substr(line, log.find('\n', line) - line)
                .find("resting at start-up, unknown to this run's sessions: cancelled"),
            std::string::npos)
      << log;
  EXPECT_TRUE(world.polymarket_resting_orders().empty()) << "start-up cancelled the seeded bid";

  EXPECT_EQ(world.engine().stop(SIGTERM), 0) << world.engine_log();
  EXPECT_TRUE(world.polymarket_resting_orders().empty()) << world.engine_log();
  EXPECT_TRUE(world.resting_orders().empty()) << world.engine_log();
  EXPECT_EQ(query(world.database(),
                  "SELECT count(*) FROM orders WHERE status IN ('submitted', 'open', "
                  "'partially_filled')"),
            0);
}

// ---- refusals: one line, exit code 2, nothing started ----

class LiveRefusal : public ::testing::Test {
 protected:
  LiveRefusal() : keys_(write_kalshi_test_keys(dir_.path())) {
    std::string toml = read_text(std::filesystem::path(PMX_SOURCE_DIR) / "config/demo.toml");
    replace_all(toml, "mode = \"paper\"", "mode = \"live\"");
    replace_all(toml, "state/demo/pmx.db", dir_.file("pmx.db").string());
    toml_ = toml;
    set_live_credentials(env_, keys_);
  }
  // Runs pmx-engine with `args` on the configuration (after `edit`); returns its exit code.
  int run(std::vector<std::string> args) {
    std::ofstream(dir_.file("engine.toml")) << toml_;
    std::vector<std::string> argv = {PMX_ENGINE, "--config", dir_.file("engine.toml").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    Child engine(argv, dir_.file("engine.log"));
    return engine.wait();
  }
  std::string log() const { return read_text(dir_.file("engine.log")); }

  ScratchDir dir_;
  KalshiTestKeys keys_;
  ScopedEnv env_;
  std::string toml_;
};

TEST_F(LiveRefusal, LiveModeWithoutTheFlagIsRefused) {
  EXPECT_EQ(run({}), 2);
  EXPECT_NE(log().find("also needs --live on the command line"), std::string::npos) << log();
  EXPECT_EQ(log().find("started"), std::string::npos) << log();
}

TEST_F(LiveRefusal, AMissingPolymarketApiSecretIsRefusedByName) {
  ::unsetenv("POLY_API_SECRET");
  EXPECT_EQ(run({"--live"}), 2);
  EXPECT_NE(log().find("missing: POLY_API_SECRET"), std::string::npos) << log();
}

TEST_F(LiveRefusal, AKeyFileReadableByOthersIsRefusedNamingTheFileAndMode) {
  ASSERT_EQ(::chmod(keys_.private_key.c_str(), 0644), 0);
  EXPECT_EQ(run({"--live"}), 2);
  EXPECT_NE(log().find(keys_.private_key.string() + " has mode 0644"), std::string::npos) << log();
  EXPECT_NE(log().find("chmod 600"), std::string::npos) << log();
}

TEST_F(LiveRefusal, APlainHttpVenueUrlOffLoopbackIsRefused) {
  EXPECT_EQ(run({"--live", "--set", "venues.kalshi.rest_url=http://kalshi.example/trade-api/v2"}), 2);
  EXPECT_NE(
      log().find("venues.kalshi.rest_url = http://kalshi.example/trade-api/v2: live trading needs https://"),
      std::string::npos)
      << log();
}

}  // namespace
}  // namespace pmx::app::test
