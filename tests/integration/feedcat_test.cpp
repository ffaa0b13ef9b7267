// pmx-feedcat over the real recordings in ../shared/data/venues, checked against oracles that
// share no code with pmx: the venues' own best_bid/best_ask, and a std::map replay of the raw
// frames read with nlohmann/json, with decimals converted by string manipulation.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

namespace {

using nlohmann::json;

const std::string kData = PMX_SHARED_DATA_DIR "/venues";

// "0.43" -> 4300 with `decimals` = 4, by string manipulation only.
int64_t fixed(const std::string& text, int decimals) {
  const size_t dot = text.find('.');
  std::string whole = text.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : text.substr(dot + 1);
  frac.resize(static_cast<size_t>(decimals), '0');
  const bool negative = !whole.empty() && whole[0] == '-';
  if (negative) whole.erase(0, 1);
  const int64_t v = std::stoll((whole.empty() ? "0" : whole) + frac);
  return negative ? -v : v;
}

// A JSON number printed by feedcat, to fixed point. feedcat prints exact decimals with at most
// 4 (price) or 6 (size) places; a double holds those exactly enough to round back.
int64_t fixed(const json& number, int decimals) {
  return std::llround(number.get<double>() * std::pow(10.0, decimals));
}

std::vector<json> run_feedcat(const std::string& args) {
  const std::string command = std::string(PMX_FEEDCAT) + " " + args;
  FILE* pipe = ::popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  std::vector<json> lines;
  std::string line;
  char buf[1 << 16];
  while (std::fgets(buf, sizeof buf, pipe) != nullptr) {
    line += buf;
    if (line.back() != '\n') continue;
    lines.push_back(json::parse(line));
    line.clear();
  }
  const int status = ::pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command;
  return lines;
}

std::vector<json> read_frames(const std::string& path) {
  std::ifstream in(path);
  std::vector<json> frames;
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) frames.push_back(json::parse(line));
  return frames;
}

TEST(Feedcat, PolymarketTopAfterEveryPriceChangeEqualsTheServersBestBidAndAsk) {
  const std::string file = kData + "/polymarket/ws_market_frames_2026-05-24.jsonl";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << "no " << file << " (../shared beside the clone)";

  // What feedcat must print, in order: one line per book snapshot and per price_change entry.
  struct Expected {
    std::string asset;
    bool check_top = false;  // price_change entries carry the server's top
    std::string best_bid, best_ask;
  };
  std::vector<Expected> expected;
  for (const json& frame : read_frames(file)) {
    for (const json& event : frame.is_array() ? frame : json::array({frame})) {
      const std::string type = event.value("event_type", "");
      if (type == "book") expected.push_back({event["asset_id"], false, "", ""});
      if (type == "price_change")
        for (const json& entry : event["price_changes"])
          expected.push_back({entry["asset_id"], true, entry["best_bid"], entry["best_ask"]});
    }
  }

  const std::vector<json> tops = run_feedcat("--venue polymarket --top " + file);
  ASSERT_EQ(tops.size(), expected.size());
  size_t checked = 0;
  for (size_t i = 0; i < tops.size(); ++i) {
    const json& top = tops[i];
    ASSERT_EQ(top["instrument"], expected[i].asset) << "line " << i;
    if (!expected[i].check_top) continue;
    // The server reports an empty side as bid 0 / ask 1; feedcat prints null.
    const int64_t bid = top["bid"].is_null() ? 0 : fixed(top["bid"], 4);
    const int64_t ask = top["ask"].is_null() ? 10'000 : fixed(top["ask"], 4);
    EXPECT_EQ(bid, fixed(expected[i].best_bid, 4)) << "line " << i << ": " << top.dump();
    EXPECT_EQ(ask, fixed(expected[i].best_ask, 4)) << "line " << i << ": " << top.dump();
    ++checked;
  }
  EXPECT_GE(checked, 50u) << "the recording has 60 price_change entries";
}

TEST(Feedcat, KalshiBooksMatchAnIndependentReplayLevelByLevel) {
  const std::string file = kData + "/kalshi/ws_orderbook_2026-09-16_sid1_seq1-12.jsonl";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << "no " << file << " (../shared beside the clone)";

  // Independent replay: price ticks -> size units, YES bids and NO bids per market.
  struct Book {
    std::map<int64_t, int64_t> yes, no;
  };
  std::map<std::string, Book> books;
  for (const json& frame : read_frames(file)) {
    const json& msg = frame["msg"];
    const std::string ticker = msg["market_ticker"];
    if (frame["type"] == "orderbook_snapshot") {
      Book& b = books[ticker] = Book{};
      for (const json& level : msg.value("yes_dollars_fp", json::array()))
        b.yes[fixed(level[0].get<std::string>(), 4)] = fixed(level[1].get<std::string>(), 6);
      for (const json& level : msg.value("no_dollars_fp", json::array()))
        b.no[fixed(level[0].get<std::string>(), 4)] = fixed(level[1].get<std::string>(), 6);
    } else if (frame["type"] == "orderbook_delta") {
      Book& b = books.at(ticker);
      auto& side = msg["side"] == "yes" ? b.yes : b.no;
      const int64_t price = fixed(msg["price_dollars"].get<std::string>(), 4);
      side[price] += fixed(msg["delta_fp"].get<std::string>(), 6);
      if (side[price] == 0) side.erase(price);
    }
  }

  const std::vector<json> printed = run_feedcat("--venue kalshi --book " + file);
  ASSERT_EQ(printed.size(), books.size());
  size_t levels = 0;
  for (const json& book : printed) {
    const Book& want = books.at(book["instrument"]);
    // bids: YES bids, best (highest) first.
    ASSERT_EQ(book["bids"].size(), want.yes.size()) << book["instrument"];
    auto yes = want.yes.rbegin();
    for (const json& level : book["bids"]) {
      EXPECT_EQ(fixed(level[0], 4), yes->first);
      EXPECT_EQ(fixed(level[1], 6), yes->second);
      ++yes;
      ++levels;
    }
    // asks: YES asks = $1 - NO bid, best (lowest, from the highest NO bid) first.
    ASSERT_EQ(book["asks"].size(), want.no.size()) << book["instrument"];
    auto no = want.no.rbegin();
    for (const json& level : book["asks"]) {
      EXPECT_EQ(fixed(level[0], 4), 10'000 - no->first);
      EXPECT_EQ(fixed(level[1], 6), no->second);
      ++no;
      ++levels;
    }
  }
  EXPECT_GT(levels, 100u);
}

TEST(Feedcat, SurvivesMalformedInputAndCountsIt) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("feedcat-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "bad.jsonl";
  {
    std::ofstream out(file, std::ios::binary);
    out << "{\"type\":\"orderbook_delta\",\"sid\":1,\"seq\":1,\"msg\":{\"market_ticker\":\"X\"\n";  // truncated
    out << "{\"type\":\"orderbook_delta\",\"sid\":1,\"seq\":2,\"msg\":{\"market_ticker\":\"KXA-1\","
           "\"price_dollars\":\"-0.5\",\"delta_fp\":\"1.00\",\"side\":\"yes\"}}\n";  // negative price
    out << std::string("\x00\xff\xfe garbage\n", 12);
    out << std::string(10 << 20, '[') << "\n";                                       // a 10 MB line
    out << "{\"type\":\"orderbook_delta\",\"sid\":\"one\",\"seq\":3,\"msg\":{}}\n";  // wrong types
  }
  const std::string command =
      std::string(PMX_FEEDCAT) + " --venue kalshi --stats " + file.string() + " 2>&1 >/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buf[4096] = {};
  std::string stats;
  while (std::fgets(buf, sizeof buf, pipe) != nullptr)
    stats += buf;
  const int status = ::pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  const json counts = json::parse(stats);
  EXPECT_EQ(counts["events"], 0);
  EXPECT_EQ(counts["parse_errors"].get<int>() + counts["bad_lines"].get<int>(), 5) << stats;
  std::filesystem::remove_all(dir);
}

}  // namespace
