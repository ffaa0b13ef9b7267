// bootstrap_universe against a loopback HTTP server that serves the real recordings split into
// pages: Kalshi /markets in two cursor pages plus /events, the CLOB /markets page in two
// next_cursor pages, and the Gamma event. Then the failures: an HTTP error, a truncated page, a
// cursor that never advances, a refused connection, a disabled venue.
#include "pmx/feed/bootstrap/universe.h"

#include <map>
#include <mutex>

#include <gtest/gtest.h>

#include "loopback_http_server.h"
#include "recordings.h"

namespace {

using nlohmann::json;
using pmx::BootstrapError;
using pmx::BootstrapOptions;
using pmx::Config;
using pmx::MarketUniverse;
using pmx::Venue;
using pmx::test::http_response;
using pmx::test::LoopbackHttpServer;
using pmx::test::Reply;
using pmx::test::ServerRequest;

constexpr const char* kKalshiFirst = "/trade-api/v2/markets?limit=1000&status=open";
constexpr const char* kGammaFirst = "/events?closed=false&limit=100&offset=0";

// Target -> body; anything else is a 404.
std::map<std::string, std::string> real_site() {
  std::map<std::string, std::string> site;
  const json kalshi_event = json::parse(pmx::test::kalshi_event_reply());
  const json& markets = kalshi_event["markets"];
  json first = {{"markets", json::array()}, {"cursor", "page two"}};
  json second = {{"markets", json::array()}, {"cursor", ""}};
  for (size_t i = 0; i < markets.size(); ++i)
    (i < 5 ? first : second)["markets"].push_back(markets[i]);
  site[kKalshiFirst] = first.dump();
  site[std::string(kKalshiFirst) + "&cursor=page%20two"] = second.dump();
  site["/trade-api/v2/events?limit=200&status=open"] =
      json{{"events", json::array({kalshi_event["event"]})}, {"cursor", ""}}.dump();

  const json clob = json::parse(pmx::test::clob_markets_reply());
  json clob_first = {{"data", json::array()}, {"next_cursor", "MTAw"}};
  json clob_second = {{"data", json::array()}, {"next_cursor", "LTE="}};
  for (size_t i = 0; i < clob["data"].size(); ++i)
    (i < 60 ? clob_first : clob_second)["data"].push_back(clob["data"][i]);
  site["/markets"] = clob_first.dump();
  site["/markets?next_cursor=MTAw"] = clob_second.dump();
  site[kGammaFirst] = pmx::test::gamma_event_reply();
  return site;
}

class Site {
 public:
  Site() : site_(real_site()), server_([this](const ServerRequest& req) { return serve(req); }) {}

  void set(const std::string& target, std::string body) {
    std::lock_guard lock(mutex_);
    site_[target] = std::move(body);
  }
  void fail(const std::string& target, int status) {
    std::lock_guard lock(mutex_);
    failures_[target] = status;
  }
  Config config() const {
    Config config;
    config.venues.kalshi.rest_url = server_.url("/trade-api/v2/");
    config.venues.polymarket.rest_url = server_.url();
    config.venues.polymarket.gamma_url = server_.url();
    return config;
  }
  std::vector<std::string> targets() const {
    std::vector<std::string> out;
    for (const auto& r : server_.received())
      out.push_back(r.target);
    return out;
  }

 private:
  Reply serve(const ServerRequest& req) {
    std::lock_guard lock(mutex_);
    if (auto f = failures_.find(req.target); f != failures_.end()) {
      return Reply{http_response(f->second, "{\"error\":\"try later\"}"), false, false};
    }
    auto it = site_.find(req.target);
    if (it == site_.end()) return Reply{http_response(404, "no such page: " + req.target), false, false};
    return Reply{http_response(200, it->second), false, false};
  }

  std::mutex mutex_;
  std::map<std::string, std::string> site_;
  std::map<std::string, int> failures_;
  LoopbackHttpServer server_;  // last: stops before the pages it serves go away
};

TEST(BootstrapUniverse, FetchesBothVenuesPageByPageIntoOneUniverse) {
  Site site;
  MarketUniverse universe;
  BootstrapOptions options;
  options.polymarket.include_closed = true;
  const auto report = pmx::bootstrap_universe(site.config(), universe, options);
  ASSERT_TRUE(report.ok()) << report.summary();
  EXPECT_EQ(report.kalshi.markets_added, 8u);
  EXPECT_EQ(report.kalshi.events_added, 1u);
  EXPECT_EQ(report.kalshi.pages, 3u);
  EXPECT_TRUE(report.kalshi.rejected.empty());
  EXPECT_EQ(report.polymarket.markets_added, 2u * 99 + 4)
      << "99 CLOB markets and 2 Gamma-only markets, 2 tokens each";
  EXPECT_EQ(report.polymarket.events_added, 1u);
  EXPECT_EQ(report.polymarket.pages, 3u);
  ASSERT_EQ(report.polymarket.rejected.size(), 1u) << "the real market with empty token ids";
  EXPECT_EQ(report.polymarket.rejected[0].error, BootstrapError::bad_key);
  EXPECT_EQ(universe.size(), 8u + 202u);
  EXPECT_EQ(universe.events().size(), 2u);
  EXPECT_TRUE(universe.find(Venue::kalshi, "KXNEXTNATOSECGEN-99-KSTA").valid()) << "from the second page";
  EXPECT_TRUE(universe
                  .find(Venue::polymarket,
                        "57761428076807364758801249497410455358987881775226117256631754592198558850468")
                  .valid());
  EXPECT_EQ(report.summary(),
            "kalshi: 8 markets, 1 events, 3 pages, 0 rejected\npolymarket: 202 markets, 1 events, 3 pages, 1 "
            "rejected");
}

TEST(BootstrapUniverse, LeavesClosedPolymarketMarketsOutByDefault) {
  Site site;
  MarketUniverse universe;
  const auto report = pmx::bootstrap_universe(site.config(), universe);
  ASSERT_TRUE(report.ok()) << report.summary();
  EXPECT_EQ(report.polymarket.markets_added, 2u + 4u) << "one open CLOB market and the two Gamma markets";
}

TEST(BootstrapUniverse, AsksKalshiForTheConfiguredSeriesOnly) {
  Site site;
  Config config = site.config();
  config.venues.kalshi.series = {"KXNEXTNATOSECGEN"};
  config.venues.polymarket.enabled = false;
  const std::string first = std::string(kKalshiFirst) + "&series_ticker=KXNEXTNATOSECGEN";
  site.set(first, json::parse(pmx::test::kalshi_markets_page()).dump());
  site.set("/trade-api/v2/events?limit=200&status=open&series_ticker=KXNEXTNATOSECGEN",
           R"({"events":[],"cursor":""})");
  MarketUniverse universe;
  const auto report = pmx::bootstrap_universe(config, universe);
  ASSERT_TRUE(report.ok()) << report.summary();
  EXPECT_EQ(report.kalshi.markets_added, 8u);
  EXPECT_EQ(site.targets().front(), first);
}

TEST(BootstrapUniverse, AddsNothingOfAVenueWhosePageFailsAndSaysWhere) {
  Site site;
  site.fail(std::string(kKalshiFirst) + "&cursor=page%20two", 503);
  MarketUniverse universe;
  const auto report = pmx::bootstrap_universe(site.config(), universe);
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(report.kalshi.error, BootstrapError::http_status);
  EXPECT_NE(
      report.kalshi.message.find("/trade-api/v2/markets?limit=1000&status=open&cursor=page%20two: HTTP 503: "
                                 "{\"error\":\"try later\"}"),
      std::string::npos)
      << report.kalshi.message;
  EXPECT_EQ(report.kalshi.markets_added, 0u);
  EXPECT_FALSE(universe.find(Venue::kalshi, "KXNEXTNATOSECGEN-99-KIOH").valid())
      << "half a list is not added";
  EXPECT_TRUE(report.polymarket.ok()) << "the other venue is still fetched";
  EXPECT_GT(report.polymarket.markets_added, 0u);
}

TEST(BootstrapUniverse, RefusesATruncatedPage) {
  Site site;
  const std::string full = pmx::test::clob_markets_reply();
  site.set("/markets?next_cursor=MTAw", full.substr(0, full.size() / 2));
  MarketUniverse universe;
  const auto report = pmx::bootstrap_universe(site.config(), universe);
  EXPECT_EQ(report.polymarket.error, BootstrapError::bad_json);
  EXPECT_NE(report.polymarket.message.find("GET http://127.0.0.1:"), std::string::npos)
      << report.polymarket.message;
  EXPECT_NE(report.polymarket.message.find("/markets?next_cursor=MTAw: "), std::string::npos);
  EXPECT_EQ(report.polymarket.markets_added, 0u);
  EXPECT_TRUE(report.kalshi.ok());
}

TEST(BootstrapUniverse, StopsACursorThatNeverAdvances) {
  Site site;
  site.set(std::string(kKalshiFirst) + "&cursor=page%20two", R"({"markets":[],"cursor":"page two"})");
  MarketUniverse universe;
  const auto report = pmx::bootstrap_universe(site.config(), universe);
  EXPECT_EQ(report.kalshi.error, BootstrapError::too_many_pages);
  EXPECT_NE(report.kalshi.message.find("the cursor did not advance (\"page two\")"), std::string::npos)
      << report.kalshi.message;
}

TEST(BootstrapUniverse, StopsAfterMaxPages) {
  Site site;
  BootstrapOptions options;
  options.kalshi.max_pages = 1;
  MarketUniverse universe;
  const auto report = pmx::bootstrap_universe(site.config(), universe, options);
  EXPECT_EQ(report.kalshi.error, BootstrapError::too_many_pages);
  EXPECT_NE(report.kalshi.message.find("still paginating after 1 pages"), std::string::npos)
      << report.kalshi.message;
}

TEST(BootstrapUniverse, ReportsAVenueThatCannotBeReached) {
  Config config;
  config.venues.kalshi.rest_url = "http://127.0.0.1:1/trade-api/v2";
  config.venues.polymarket.enabled = false;
  MarketUniverse universe;
  const auto report = pmx::bootstrap_universe(config, universe);
  EXPECT_EQ(report.kalshi.error, BootstrapError::http_failed);
  EXPECT_NE(report.kalshi.message.find("connect_failed"), std::string::npos) << report.kalshi.message;
  EXPECT_FALSE(report.polymarket.enabled);
  EXPECT_TRUE(report.polymarket.ok());
}

TEST(BootstrapUniverse, DoesNotContactADisabledVenue) {
  Site site;
  Config config = site.config();
  config.venues.kalshi.enabled = false;
  MarketUniverse universe;
  const auto report = pmx::bootstrap_universe(config, universe);
  ASSERT_TRUE(report.ok()) << report.summary();
  for (const auto& target : site.targets())
    EXPECT_FALSE(target.starts_with("/trade-api")) << target;
  EXPECT_EQ(report.summary().substr(0, 16), "kalshi: disabled");
}

}  // namespace
