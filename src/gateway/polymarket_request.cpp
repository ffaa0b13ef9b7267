#include "pmx/gateway/polymarket_request.h"

#include "pmx/gateway/fixed_buffer_writer.h"

namespace pmx::gateway {

namespace {

// Characters that go verbatim into a JSON string and an HTTP header value.
bool is_plain_text(std::string_view text) noexcept {
  for (const char c : text)
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
  return true;
}

void append_word_hex(FixedBufferWriter& w, const Word& word) noexcept {
  if (char* at = w.reserve(kWordHexChars)) {
    at[0] = '0';
    at[1] = 'x';
    write_hex(word, at + 2);
  }
}

void append_uint_string(FixedBufferWriter& w, uint64_t value) noexcept {
  w.append('"');
  w.append_uint(value);
  w.append('"');
}

}  // namespace

PolymarketRequestBuilder::PolymarketRequestBuilder(EthereumSigner signer, PolymarketHmac hmac,
                                                   PolymarketAccount account)
    : signer_(std::move(signer)), hmac_(std::move(hmac)), account_(std::move(account)) {
  if (!is_plain_text(account_.api_key) || !is_plain_text(account_.passphrase) ||
      !is_plain_text(account_.host))
    throw SigningError(
        "Polymarket credentials: API key, passphrase or host holds a quote, backslash or control "
        "character");
  maker_ = account_.funder.value_or(signer_.address());
  domain_separator_ = eip712_domain_separator(
      polymarket_exchange_domain(account_.version, account_.chain_id, account_.exchange));
  write_checksum_address(signer_.address(), signer_text_.data());
  write_checksum_address(maker_, maker_text_.data());
}

PolymarketOrder PolymarketRequestBuilder::order_template() const noexcept {
  PolymarketOrder order;
  order.maker = maker_;
  order.signer = signer_.address();
  order.signature_type = account_.signature_type;
  return order;
}

GatewayError PolymarketRequestBuilder::sign(const PolymarketOrder& order,
                                            SignedPolymarketOrder& out) const noexcept {
  out.digest = eip712_digest(domain_separator_, polymarket_order_struct_hash(order, account_.version));
  return signer_.sign(out.digest, out.signature) ? GatewayError::ok : GatewayError::signing_failed;
}

void PolymarketRequestBuilder::write_address(FixedBufferWriter& w, const Address& a) const noexcept {
  w.append('"');
  if (a == maker_) {
    w.append(std::string_view(maker_text_.data(), maker_text_.size()));
  } else if (a == signer_.address()) {
    w.append(std::string_view(signer_text_.data(), signer_text_.size()));
  } else if (char* at = w.reserve(kAddressChars)) {
    write_checksum_address(a, at);
  }
  w.append('"');
}

RequestResult PolymarketRequestBuilder::post_order(const PolymarketOrder& order, PolymarketOrderType type,
                                                   bool post_only, int64_t timestamp_s, std::span<char> out,
                                                   SignedPolymarketOrder* signed_order) noexcept {
  SignedPolymarketOrder signed_local;
  SignedPolymarketOrder& s = signed_order ? *signed_order : signed_local;
  if (const GatewayError e = sign(order, s); e != GatewayError::ok) return {e, 0};

  const bool v1 = account_.version == PolymarketOrderVersion::v1;
  FixedBufferWriter w(body_);
  w.append(R"({"order":{"salt":)");
  w.append_uint(order.salt);
  w.append(R"(,"maker":)");
  write_address(w, order.maker);
  w.append(R"(,"signer":)");
  write_address(w, order.signer);
  if (v1) {
    w.append(R"(,"taker":)");
    write_address(w, order.taker);
  }
  w.append(R"(,"tokenId":")");
  char token_digits[kMaxUint256Digits];
  w.append(format_uint256(order.token_id, token_digits, sizeof token_digits));
  w.append(R"(","makerAmount":)");
  append_uint_string(w, order.maker_amount);
  w.append(R"(,"takerAmount":)");
  append_uint_string(w, order.taker_amount);
  w.append(order.side == Side::buy ? R"(,"side":"BUY")" : R"(,"side":"SELL")");
  if (v1) {
    w.append(R"(,"expiration":)");
    append_uint_string(w, order.expiration_s);
    w.append(R"(,"nonce":)");
    append_uint_string(w, order.nonce);
    w.append(R"(,"feeRateBps":)");
    append_uint_string(w, order.fee_rate_bps);
    w.append(R"(,"signatureType":)");
    w.append_uint(static_cast<uint64_t>(order.signature_type));
  } else {
    w.append(R"(,"signatureType":)");
    w.append_uint(static_cast<uint64_t>(order.signature_type));
    w.append(R"(,"timestamp":)");
    append_uint_string(w, order.timestamp_ms);
    w.append(R"(,"expiration":)");
    append_uint_string(w, order.expiration_s);
    w.append(R"(,"metadata":")");
    append_word_hex(w, order.metadata);
    w.append(R"(","builder":")");
    append_word_hex(w, order.builder);
    w.append('"');
  }
  w.append(R"(,"signature":")");
  if (char* at = w.reserve(kSignatureHexChars)) write_signature_hex(s.signature, at);
  w.append(R"("},"owner":")");
  w.append(account_.api_key);
  w.append(R"(","orderType":")");
  w.append(to_string(type));
  if (v1) {
    w.append(post_only ? R"(","postOnly":true,"deferExec":false})"
                       : R"(","postOnly":false,"deferExec":false})");
  } else {
    w.append(post_only ? R"(","deferExec":false,"postOnly":true})"
                       : R"(","deferExec":false,"postOnly":false})");
  }
  if (!w.ok()) return {GatewayError::buffer_too_small, 0};
  return write_request("POST", kPolymarketOrderPath, w.view(), timestamp_s, out);
}

RequestResult PolymarketRequestBuilder::cancel_order(std::string_view order_id, int64_t timestamp_s,
                                                     std::span<char> out) noexcept {
  if (order_id.empty() || !is_plain_text(order_id)) return {GatewayError::bad_text, 0};
  FixedBufferWriter w(body_);
  w.append(R"({"orderID":")");
  w.append(order_id);
  w.append(R"("})");
  if (!w.ok()) return {GatewayError::buffer_too_small, 0};
  return write_request("DELETE", kPolymarketOrderPath, w.view(), timestamp_s, out);
}

RequestResult PolymarketRequestBuilder::write_request(std::string_view method, std::string_view path,
                                                      std::string_view body, int64_t timestamp_s,
                                                      std::span<char> out) noexcept {
  char l2_signature[kPolymarketHmacChars];
  hmac_.sign(timestamp_s, method, path, body, l2_signature);
  FixedBufferWriter w(out);
  w.append(method);
  w.append(' ');
  w.append(path);
  w.append(" HTTP/1.1\r\nHost: ");
  w.append(account_.host);
  w.append("\r\nPOLY_ADDRESS: ");
  w.append(std::string_view(signer_text_.data(), signer_text_.size()));
  w.append("\r\nPOLY_SIGNATURE: ");
  w.append(std::string_view(l2_signature, sizeof l2_signature));
  w.append("\r\nPOLY_TIMESTAMP: ");
  w.append_int(timestamp_s);
  w.append("\r\nPOLY_API_KEY: ");
  w.append(account_.api_key);
  w.append("\r\nPOLY_PASSPHRASE: ");
  w.append(account_.passphrase);
  w.append("\r\nContent-Type: application/json\r\nContent-Length: ");
  w.append_uint(body.size());
  w.append("\r\n\r\n");
  w.append(body);
  if (!w.ok()) return {GatewayError::buffer_too_small, 0};
  return {GatewayError::ok, w.size()};
}

}  // namespace pmx::gateway
