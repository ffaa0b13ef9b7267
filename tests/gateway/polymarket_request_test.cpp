#include "pmx/gateway/polymarket_request.h"

#include <array>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "http_text.h"
#include "polymarket_test_keys.h"

namespace pmx::gateway {
namespace {

using polymarket_test::kKey;
using polymarket_test::kSecret;  // 32 zero bytes

using polymarket_test::address;

PolymarketRequestBuilder builder(PolymarketOrderVersion version, std::string_view exchange) {
  PolymarketAccount account;
  account.version = version;
  account.chain_id = kAmoyChainId;
  account.exchange = address(exchange);
  account.api_key = "11111111-2222-3333-4444-555555555555";
  account.passphrase = "pass-phrase";
  return PolymarketRequestBuilder(EthereumSigner::from_hex(kKey), PolymarketHmac::from_secret(kSecret),
                                  account);
}

PolymarketOrder test_order(const PolymarketRequestBuilder& b) {
  PolymarketOrder order = b.order_template();
  order.salt = 479249096354;
  order.token_id = word_from_uint(1234);
  order.maker_amount = 100000000;
  order.taker_amount = 50000000;
  order.fee_rate_bps = 100;
  return order;
}

// HMAC-SHA256 with a 32-zero-byte key, base64url, by OpenSSL directly (not Crypto++).
std::string reference_l2_signature(const std::string& message) {
  const std::array<unsigned char, 32> key{};
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  std::string b64(45, '\0');
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), mac, static_cast<int>(len));
  b64.resize(44);
  for (char& c : b64) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return b64;
}

test::HttpText post(PolymarketRequestBuilder& b, const PolymarketOrder& order,
                    int64_t timestamp_s = 1000000) {
  std::vector<char> buffer(4096);
  const RequestResult r = b.post_order(order, PolymarketOrderType::gtc, false, timestamp_s, buffer);
  EXPECT_TRUE(r.ok()) << to_string(r.error);
  return test::parse_http(std::string_view(buffer.data(), r.size));
}

TEST(PolymarketRequest, WritesTheV1BodyWithThePublishedSignature) {
  auto b = builder(PolymarketOrderVersion::v1, "0xdFE02Eb6733538f8Ea35D585af8DE5958AD99E40");
  const auto http = post(b, test_order(b));
  EXPECT_EQ(
      http.body,
      R"({"order":{"salt":479249096354,"maker":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",)"
      R"("signer":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",)"
      R"("taker":"0x0000000000000000000000000000000000000000",)"
      R"("tokenId":"1234","makerAmount":"100000000","takerAmount":"50000000","side":"BUY","expiration":"0",)"
      R"("nonce":"0","feeRateBps":"100","signatureType":0,)"
      R"("signature":"0x302cd9abd0b5fcaa202a344437ec0b6660da984e)"
      R"(24ae9ad915a592a90facf5a51bb8a873cd8d270f070217fea1986531d5eec66f1162a81f66e026db653bf7ce1c"},)"
      R"("owner":"11111111-2222-3333-4444-555555555555",)"
      R"("orderType":"GTC","postOnly":false,"deferExec":false})");
}

TEST(PolymarketRequest, WritesTheV2BodyInTheClientsFieldOrder) {
  auto b = builder(PolymarketOrderVersion::v2, "0xE111180000d2663C0091e4f400237545B87B996B");
  PolymarketOrder order = test_order(b);
  order.timestamp_ms = 1710000000000;
  const auto http = post(b, order);
  EXPECT_EQ(
      http.body,
      R"({"order":{"salt":479249096354,"maker":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",)"
      R"("signer":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","tokenId":"1234","makerAmount":"100000000",)"
      R"("takerAmount":"50000000","side":"BUY","signatureType":0,)"
      R"("timestamp":"1710000000000","expiration":"0",)"
      R"("metadata":"0x0000000000000000000000000000000000000000000000000000000000000000",)"
      R"("builder":"0x0000000000000000000000000000000000000000000000000000000000000000",)"
      R"("signature":"0x518472f1b081f6bd713d638bb11d1bf0720ed577e93c52eb00ec9f5f325f7d510c65cbfdfe9130de2602)"
      R"(185f4a500863d777d8b838cb28abc75ecc1b5330315d1c"},)"
      R"("owner":"11111111-2222-3333-4444-555555555555",)"
      R"("orderType":"GTC","deferExec":false,"postOnly":false})");
}

TEST(PolymarketRequest, WritesTheL2HeadersOverTheExactBody) {
  auto b = builder(PolymarketOrderVersion::v2, "0xE111180000d2663C0091e4f400237545B87B996B");
  const auto http = post(b, test_order(b), 1710000000);
  ASSERT_TRUE(http.well_formed);
  EXPECT_EQ(http.request_line, "POST /order HTTP/1.1");
  EXPECT_EQ(http.headers.at("Host"), "clob.polymarket.com");
  EXPECT_EQ(http.headers.at("POLY_ADDRESS"), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  EXPECT_EQ(http.headers.at("POLY_TIMESTAMP"), "1710000000");
  EXPECT_EQ(http.headers.at("POLY_API_KEY"), "11111111-2222-3333-4444-555555555555");
  EXPECT_EQ(http.headers.at("POLY_PASSPHRASE"), "pass-phrase");
  EXPECT_EQ(http.headers.at("POLY_SIGNATURE"), reference_l2_signature("1710000000POST/order" + http.body));
}

TEST(PolymarketRequest, ReportsTheSignedDigestAndSignature) {
  auto b = builder(PolymarketOrderVersion::v1, "0xC5d563A36AE78145C45a50134d48A1215220f80a");
  std::vector<char> buffer(4096);
  SignedPolymarketOrder signed_order;
  ASSERT_TRUE(b.post_order(test_order(b), PolymarketOrderType::gtc, false, 1, buffer, &signed_order).ok());
  EXPECT_EQ(to_hex(signed_order.digest),
            "0xf15790d3edc4b5aed427b0b543a9206fcf4b1a13dfed016d33bfb313076263b8");
  EXPECT_EQ(recover_address(signed_order.digest, signed_order.signature), b.signer_address());
}

TEST(PolymarketRequest, UsesTheFunderAsMaker) {
  PolymarketAccount account;
  account.exchange = address("0xE111180000d2663C0091e4f400237545B87B996B");
  account.funder = address("0x1111111111111111111111111111111111111111");
  account.signature_type = PolymarketSignatureType::poly_gnosis_safe;
  account.api_key = "k";
  PolymarketRequestBuilder b(EthereumSigner::from_hex(kKey), PolymarketHmac::from_secret(kSecret), account);
  const PolymarketOrder order = b.order_template();
  EXPECT_EQ(order.maker, *account.funder);
  EXPECT_EQ(order.signer, b.signer_address());
  EXPECT_EQ(order.signature_type, PolymarketSignatureType::poly_gnosis_safe);
}

TEST(PolymarketRequest, WritesLargeTokenIdsInDecimal) {
  auto b = builder(PolymarketOrderVersion::v2, "0xE111180000d2663C0091e4f400237545B87B996B");
  PolymarketOrder order = test_order(b);
  const std::string id = "71321045679252212594626385532706912750332728571942532289631379312455583992563";
  ASSERT_TRUE(parse_uint256(id, order.token_id));
  EXPECT_NE(post(b, order).body.find(R"("tokenId":")" + id + '"'), std::string::npos);
}

TEST(PolymarketRequest, RefusesABufferTooSmall) {
  auto b = builder(PolymarketOrderVersion::v2, "0xE111180000d2663C0091e4f400237545B87B996B");
  std::vector<char> buffer(600);
  EXPECT_EQ(b.post_order(test_order(b), PolymarketOrderType::gtc, false, 1, buffer).error,
            GatewayError::buffer_too_small);
}

TEST(PolymarketRequest, WritesACancelWithItsOwnL2Signature) {
  auto b = builder(PolymarketOrderVersion::v2, "0xE111180000d2663C0091e4f400237545B87B996B");
  std::vector<char> buffer(1024);
  const RequestResult r = b.cancel_order("0xabc123", 1700000000, buffer);
  ASSERT_TRUE(r.ok());
  const auto http = test::parse_http(std::string_view(buffer.data(), r.size));
  ASSERT_TRUE(http.well_formed);
  EXPECT_EQ(http.request_line, "DELETE /order HTTP/1.1");
  EXPECT_EQ(http.body, R"({"orderID":"0xabc123"})");
  EXPECT_EQ(http.headers.at("POLY_SIGNATURE"), reference_l2_signature("1700000000DELETE/order" + http.body));
}

TEST(PolymarketRequest, RefusesACancelIdThatNeedsEscaping) {
  auto b = builder(PolymarketOrderVersion::v2, "0xE111180000d2663C0091e4f400237545B87B996B");
  std::vector<char> buffer(1024);
  EXPECT_EQ(b.cancel_order("a\"b", 1, buffer).error, GatewayError::bad_text);
}

TEST(PolymarketRequest, RefusesCredentialsThatNeedEscaping) {
  PolymarketAccount account;
  account.api_key = "key\"";
  EXPECT_THROW(
      PolymarketRequestBuilder(EthereumSigner::from_hex(kKey), PolymarketHmac::from_secret(kSecret), account),
      SigningError);
}

}  // namespace
}  // namespace pmx::gateway
