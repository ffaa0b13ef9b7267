// Every parser of the bootstrap over every prefix of a real reply (a truncated transfer), and over
// replies that are not what was asked for: each is refused or parsed, with a clear error, never a
// crash, a hang or a sanitizer report.
#include <string>

#include <gtest/gtest.h>

#include "pmx/feed/bootstrap/kalshi_markets.h"
#include "pmx/feed/bootstrap/polymarket_markets.h"

#include "recordings.h"

namespace {

using pmx::BootstrapError;

// Cuts `reply` at every `stride`-th byte and checks that no prefix is accepted as a whole page.
template <class Parse>
void expect_every_prefix_refused(const std::string& reply, size_t stride, Parse parse) {
  // Cuts at or after the end of the top-level value (before a trailing newline) are whole replies.
  size_t whole = reply.size();
  while (whole > 0 && (reply[whole - 1] == '\n' || reply[whole - 1] == ' '))
    --whole;
  size_t refused = 0, checked = 0;
  for (size_t cut = 0; cut < whole; cut += stride) {
    const auto page = parse(std::string_view(reply).substr(0, cut));
    ++checked;
    if (page.error == BootstrapError::bad_json || page.error == BootstrapError::bad_shape) ++refused;
    EXPECT_FALSE(page.message.empty()) << "cut at " << cut;
  }
  EXPECT_EQ(refused, checked);
}

TEST(MalformedReply, EveryTruncationOfTheKalshiEventReplyIsRefused) {
  expect_every_prefix_refused(pmx::test::kalshi_event_reply(), 1,
                              [](std::string_view s) { return pmx::parse_kalshi_events_page(s); });
}

TEST(MalformedReply, EveryTruncationOfAKalshiMarketsPageIsRefused) {
  expect_every_prefix_refused(pmx::test::kalshi_markets_page("next"), 1,
                              [](std::string_view s) { return pmx::parse_kalshi_markets_page(s); });
}

TEST(MalformedReply, EveryTruncationOfTheGammaEventIsRefused) {
  expect_every_prefix_refused(pmx::test::gamma_event_reply(), 1,
                              [](std::string_view s) { return pmx::parse_gamma_events_page(s); });
}

TEST(MalformedReply, EveryTruncationOfTheClobPageIsRefused) {
  // 261 KB: every 97th cut keeps the test fast and still lands in every kind of token.
  expect_every_prefix_refused(pmx::test::clob_markets_reply(), 97,
                              [](std::string_view s) { return pmx::parse_clob_markets_page(s); });
}

TEST(MalformedReply, RefusesRepliesThatAreNotTheExpectedJson) {
  for (const char* reply :
       {"", "   ", "null", "42", "\"markets\"", "[]", "<html>502 Bad Gateway</html>", "{\"markets\": 5}",
        "{\"markets\": [}", "{\"markets\": [], \"cursor\": 7}", "{\"markets\": []}}", "\xff\xfe{}"}) {
    const auto page = pmx::parse_kalshi_markets_page(reply);
    EXPECT_NE(page.error, BootstrapError::ok) << reply;
    EXPECT_FALSE(page.message.empty()) << reply;
  }
}

TEST(MalformedReply, SkipsElementsThatAreNotObjects) {
  const auto page = pmx::parse_clob_markets_page(R"({"data":[1,"x",null,[],{}],"next_cursor":"LTE="})");
  ASSERT_EQ(page.error, BootstrapError::ok) << page.message;
  EXPECT_TRUE(page.markets.empty());
  ASSERT_EQ(page.rejected.size(), 5u);
  EXPECT_EQ(page.rejected[0].key, "#0");
  EXPECT_EQ(page.rejected[4].error, BootstrapError::missing_field) << page.rejected[4].message;
  EXPECT_EQ(page.next_cursor, "LTE=");
}

TEST(MalformedReply, SkipsAMarketWithADeeplyNestedFieldWithoutDescendingIntoIt) {
  std::string deep = "{\"markets\":[{\"ticker\":";
  deep += std::string(5000, '[') + std::string(5000, ']') + "}],\"cursor\":\"\"}";
  const auto page = pmx::parse_kalshi_markets_page(deep);
  ASSERT_EQ(page.error, BootstrapError::ok) << page.message;
  ASSERT_EQ(page.rejected.size(), 1u);
  EXPECT_EQ(page.rejected[0].message, "#0: ticker: expected a string");
}

TEST(MalformedReply, RefusesUnbalancedDeepNesting) {
  std::string deep = "{\"markets\":[{\"ticker\":";
  deep += std::string(5000, '[') + "}],\"cursor\":\"\"}";
  const auto page = pmx::parse_kalshi_markets_page(deep);
  EXPECT_EQ(page.error, BootstrapError::bad_json) << page.message;
}

}  // namespace
