#include "pmx/gateway/kalshi_request.h"

#include <array>

#include "pmx/gateway/fixed_buffer_writer.h"
#include "pmx/gateway/kalshi_auth_headers.h"

namespace pmx::gateway {

namespace {

bool is_header_text(std::string_view text) noexcept {
  if (text.empty()) return false;
  for (const char c : text)
    if (c <= 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
  return true;
}

// Order ids go into the path: letters, digits, '-' and '_' only.
bool is_path_segment(std::string_view text) noexcept {
  if (text.empty()) return false;
  for (const char c : text) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

KalshiRequestBuilder::KalshiRequestBuilder(std::string key_id, std::string host)
    : key_id_(std::move(key_id)), host_(std::move(host)) {
  if (!is_header_text(key_id_) || !is_header_text(host_))
    throw SigningError(
        "Kalshi request: the key id and host must be printable ASCII without spaces or quotes");
}

RequestResult KalshiRequestBuilder::create_order(const KalshiOrder& order, int64_t timestamp_ms,
                                                 std::string_view signature,
                                                 std::span<char> out) const noexcept {
  std::array<char, kMaxBodyBytes> body_buffer;
  FixedBufferWriter body(body_buffer);
  if (const GatewayError e = write_kalshi_order_body(order, body); e != GatewayError::ok) return {e, 0};
  return write_request("POST", kKalshiOrdersPath, timestamp_ms, signature, body.view(), out);
}

RequestResult KalshiRequestBuilder::create_order_signed_inline(const KalshiOrder& order,
                                                               const KalshiSigner& signer,
                                                               int64_t timestamp_ms,
                                                               std::span<char> out) const noexcept {
  try {
    const std::string signature = signer.sign(timestamp_ms, "POST", kKalshiOrdersPath);
    return create_order(order, timestamp_ms, signature, out);
  } catch (...) {  // SigningError, std::bad_alloc
    return {GatewayError::signing_failed, 0};
  }
}

RequestResult KalshiRequestBuilder::cancel_order(std::string_view order_id, const KalshiSigner& signer,
                                                 int64_t timestamp_ms, std::span<char> out) const noexcept {
  if (!is_path_segment(order_id) || order_id.size() > 128) return {GatewayError::bad_text, 0};
  std::array<char, kKalshiOrdersPath.size() + 1 + 128> path_buffer;
  FixedBufferWriter path(path_buffer);
  path.append(kKalshiOrdersPath);
  path.append('/');
  path.append(order_id);
  try {
    const std::string signature = signer.sign(timestamp_ms, "DELETE", path.view());
    return write_request("DELETE", path.view(), timestamp_ms, signature, {}, out);
  } catch (...) {
    return {GatewayError::signing_failed, 0};
  }
}

RequestResult KalshiRequestBuilder::write_request(std::string_view method, std::string_view path,
                                                  int64_t timestamp_ms, std::string_view signature,
                                                  std::string_view body, std::span<char> out) const noexcept {
  FixedBufferWriter w(out);
  w.append(method);
  w.append(' ');
  w.append(path);
  w.append(" HTTP/1.1\r\nHost: ");
  w.append(host_);
  w.append("\r\n");
  append_kalshi_auth_headers(w, key_id_, timestamp_ms, signature);
  if (!body.empty()) w.append("\r\nContent-Type: application/json");
  w.append("\r\nContent-Length: ");
  w.append_uint(body.size());
  w.append("\r\n\r\n");
  w.append(body);
  if (!w.ok()) return {GatewayError::buffer_too_small, 0};
  return {GatewayError::ok, w.size()};
}

}  // namespace pmx::gateway
