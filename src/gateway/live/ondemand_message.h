// Private helpers of the order-path message parsers (kalshi_messages.cpp, polymarket_messages.cpp):
// one padded buffer and simdjson On-Demand parser per parser, sized at start-up so that parsing a
// message allocates nothing, and the field readers both venues' decimal-string fields share.
#pragma once

#include <cstring>
#include <new>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "pmx/core/decimal.h"

namespace pmx::gateway::ondemand_message {

namespace od = simdjson::ondemand;

// A message copied into padding-safe storage and opened as a document (On-Demand reads past the
// end of its input, so the venue's bytes cannot be parsed in place).
class PaddedMessage {
 public:
  explicit PaddedMessage(size_t max_bytes) : buffer_(max_bytes + simdjson::SIMDJSON_PADDING) {
    if (parser_.allocate(max_bytes) != simdjson::SUCCESS) throw std::bad_alloc();
  }

  // Error is the venue's parse-error enum: it has ok, too_large and invalid_json.
  template <typename Error>
  Error open(std::string_view json) noexcept {
    if (json.size() + simdjson::SIMDJSON_PADDING > buffer_.size()) return Error::too_large;
    std::memcpy(buffer_.data(), json.data(), json.size());
    if (parser_.iterate(buffer_.data(), json.size(), buffer_.size()).get(doc_)) return Error::invalid_json;
    return Error::ok;
  }
  // open() and the document's top-level object.
  template <typename Error>
  Error open_object(std::string_view json, od::object& obj) noexcept {
    if (const Error e = open<Error>(json); e != Error::ok) return e;
    if (doc_.get_object().get(obj)) return Error::invalid_json;
    return Error::ok;
  }

  od::document& doc() noexcept { return doc_; }  // the last opened message

 private:
  std::vector<char> buffer_;
  od::parser parser_;
  od::document doc_;
};

inline bool read_text(od::value& v, std::string_view& out) noexcept {
  return v.get_string().get(out) == simdjson::SUCCESS;
}
inline bool read_qty(od::value& v, Qty& out) noexcept {
  std::string_view s;
  return read_text(v, s) && parse_qty(s, out) == DecimalError::ok;
}
inline bool read_price(od::value& v, Price& out) noexcept {
  std::string_view s;
  return read_text(v, s) && parse_price(s, out) == DecimalError::ok;
}
inline bool read_money(od::value& v, Money& out) noexcept {
  std::string_view s;
  return read_text(v, s) && parse_money(s, out) == DecimalError::ok;
}
inline bool is_null(od::value& v) noexcept {
  bool null = false;
  return v.is_null().get(null) == simdjson::SUCCESS && null;
}

}  // namespace pmx::gateway::ondemand_message
