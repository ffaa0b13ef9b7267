#include "pmx/net/ws_url.h"

#include <gtest/gtest.h>

namespace {

using pmx::net::parse_ws_url;

TEST(WsUrl, ParsesWssWithDefaultPortAndPath) {
  auto u = parse_ws_url("wss://external-api-ws.kalshi.com/trade-api/ws/v2");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "external-api-ws.kalshi.com");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target, "/trade-api/ws/v2");
  EXPECT_EQ(u->host_header(), "external-api-ws.kalshi.com");
  EXPECT_FALSE(u->host_is_ip_literal());
}

TEST(WsUrl, ParsesWsWithPortAndQuery) {
  auto u = parse_ws_url("ws://127.0.0.1:9101/trade-api/ws/v2?x=1");
  ASSERT_TRUE(u);
  EXPECT_FALSE(u->tls);
  EXPECT_EQ(u->port, 9101);
  EXPECT_EQ(u->target, "/trade-api/ws/v2?x=1");
  EXPECT_EQ(u->path(), "/trade-api/ws/v2");
  EXPECT_EQ(u->host_header(), "127.0.0.1:9101");
  EXPECT_TRUE(u->host_is_ip_literal());
}

TEST(WsUrl, ParsesBracketedIpv6AndEmptyPath) {
  auto u = parse_ws_url("ws://[::1]:8080");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->target, "/");
  EXPECT_EQ(u->host_header(), "[::1]:8080");
  EXPECT_TRUE(u->host_is_ip_literal());
}

TEST(WsUrl, RejectsWhatTheVenuesNeverUse) {
  std::string error;
  EXPECT_FALSE(parse_ws_url("https://x/y", &error));
  EXPECT_NE(error.find("scheme"), std::string::npos);
  EXPECT_FALSE(parse_ws_url("ws://", &error));
  EXPECT_FALSE(parse_ws_url("ws://host:0/", &error));
  EXPECT_FALSE(parse_ws_url("ws://host:70000/", &error));
  EXPECT_FALSE(parse_ws_url("ws://host:/", &error));
  EXPECT_FALSE(parse_ws_url("ws://user@host/", &error));
  EXPECT_FALSE(parse_ws_url("ws://host/a#frag", &error));
  EXPECT_FALSE(parse_ws_url("ws://[::1/", &error));
}

}  // namespace
