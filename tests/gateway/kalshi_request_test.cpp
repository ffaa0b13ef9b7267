#include "pmx/gateway/kalshi_request.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "http_text.h"
#include "test_rsa_key.h"

namespace pmx::gateway {
namespace {

KalshiOrder order() {
  KalshiOrder o;
  o.ticker = "HIGHNY-24JAN01-T60";
  o.client_order_id = "8c35ecb3-328f-4f52-8c7c-0f4b9862f8d1";
  o.yes_price = Price{5600};
  o.count = Qty::contracts(10);
  return o;
}

test::HttpText text_of(const std::vector<char>& buffer, const RequestResult& r) {
  return test::parse_http(std::string_view(buffer.data(), r.size));
}

TEST(KalshiRequest, SignsTheOrderWithTheThreeAccessHeaders) {
  const auto& signer = test::test_kalshi_signer();
  const KalshiRequestBuilder builder("key-id-1");
  std::vector<char> buffer(2048);
  const RequestResult r = builder.create_order_signed_inline(order(), signer, 1715793600123, buffer);
  ASSERT_TRUE(r.ok()) << to_string(r.error);
  const auto http = text_of(buffer, r);
  ASSERT_TRUE(http.well_formed);
  EXPECT_EQ(http.request_line, "POST /trade-api/v2/portfolio/events/orders HTTP/1.1");
  EXPECT_EQ(http.headers.at("Host"), "external-api.kalshi.com");
  EXPECT_EQ(http.headers.at("KALSHI-ACCESS-KEY"), "key-id-1");
  EXPECT_EQ(http.headers.at("KALSHI-ACCESS-TIMESTAMP"), "1715793600123");
  EXPECT_EQ(http.headers.at("Content-Type"), "application/json");
  EXPECT_TRUE(KalshiSigner::verify(signer.public_key_pem(),
                                   "1715793600123POST/trade-api/v2/portfolio/events/orders",
                                   http.headers.at("KALSHI-ACCESS-SIGNATURE")));
  EXPECT_EQ(http.body.rfind(R"({"ticker":"HIGHNY-24JAN01-T60",)", 0), 0u);
}

TEST(KalshiRequest, CarriesAGivenSignatureAndTimestampVerbatim) {
  const KalshiRequestBuilder builder("key-id-1");
  std::vector<char> buffer(2048);
  const RequestResult r = builder.create_order(order(), 42, "c2lnbmF0dXJl", buffer);
  ASSERT_TRUE(r.ok());
  const auto http = text_of(buffer, r);
  EXPECT_EQ(http.headers.at("KALSHI-ACCESS-TIMESTAMP"), "42");
  EXPECT_EQ(http.headers.at("KALSHI-ACCESS-SIGNATURE"), "c2lnbmF0dXJl");
}

TEST(KalshiRequest, SignsACancelOverItsOrderPath) {
  const auto& signer = test::test_kalshi_signer();
  const KalshiRequestBuilder builder("key-id-1", "demo-api.kalshi.co");
  std::vector<char> buffer(2048);
  const RequestResult r =
      builder.cancel_order("ee2d0b9a-1f5e-4b8e-9d3e-21b51c46b5a1", signer, 1715793660456, buffer);
  ASSERT_TRUE(r.ok());
  const auto http = text_of(buffer, r);
  ASSERT_TRUE(http.well_formed);
  EXPECT_EQ(http.request_line,
            "DELETE /trade-api/v2/portfolio/events/orders/ee2d0b9a-1f5e-4b8e-9d3e-21b51c46b5a1 HTTP/1.1");
  EXPECT_EQ(http.headers.at("Host"), "demo-api.kalshi.co");
  EXPECT_EQ(http.body, "");
  EXPECT_EQ(http.headers.count("Content-Type"), 0u);
  EXPECT_TRUE(KalshiSigner::verify(
      signer.public_key_pem(),
      "1715793660456DELETE/trade-api/v2/portfolio/events/orders/ee2d0b9a-1f5e-4b8e-9d3e-21b51c46b5a1",
      http.headers.at("KALSHI-ACCESS-SIGNATURE")));
}

TEST(KalshiRequest, RefusesACancelIdThatWouldChangeThePath) {
  const KalshiRequestBuilder builder("key-id-1");
  std::vector<char> buffer(2048);
  EXPECT_EQ(builder.cancel_order("../balance", test::test_kalshi_signer(), 1, buffer).error,
            GatewayError::bad_text);
  EXPECT_EQ(builder.cancel_order("a?b=1", test::test_kalshi_signer(), 1, buffer).error,
            GatewayError::bad_text);
}

TEST(KalshiRequest, PassesOnABodyError) {
  const KalshiRequestBuilder builder("key-id-1");
  KalshiOrder bad = order();
  bad.count = Qty{0};
  std::vector<char> buffer(2048);
  EXPECT_EQ(builder.create_order(bad, 1, "sig", buffer).error, GatewayError::bad_size);
}

TEST(KalshiRequest, ReportsABufferTooSmall) {
  const KalshiRequestBuilder builder("key-id-1");
  std::vector<char> buffer(100);
  EXPECT_EQ(builder.create_order(order(), 1, "sig", buffer).error, GatewayError::buffer_too_small);
}

TEST(KalshiRequest, RefusesAKeyIdWithSpacesOrNewlines) {
  EXPECT_THROW(KalshiRequestBuilder("key\r\nX-Evil: 1"), SigningError);
}

}  // namespace
}  // namespace pmx::gateway
