// Private helpers of the account reads (start-up code): simdjson DOM lookups of optional
// decimal-string fields, each failure one line naming the endpoint and the field; the answer
// check both venues' GETs share.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "pmx/core/decimal.h"
#include "pmx/gateway/live/account_snapshot.h"
#include "pmx/net/http_client.h"

namespace pmx::gateway::account_json {

// Parses `json`, which must be an object, into `root` (the parser keeps the storage); false with
// `error` set.
inline bool parse_object(simdjson::dom::parser& parser, std::string_view json, simdjson::dom::object& root,
                         std::string_view where, ReadError& error) {
  simdjson::dom::element doc;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS) {
    error.message = std::string(where) + ": not JSON";
    return false;
  }
  if (doc.get_object().get(root) != simdjson::SUCCESS) {
    error.message = std::string(where) + ": not an object";
    return false;
  }
  return true;
}

// The array field `key` of `root` (absent or not an array: error).
inline bool array(simdjson::dom::object root, std::string_view key, simdjson::dom::array& out,
                  std::string_view where, ReadError& error) {
  if (root.at_key(key).get_array().get(out) == simdjson::SUCCESS) return true;
  error.message = std::string(where) + ": no array " + std::string(key);
  return false;
}

// The string field `key` of `obj` (absent: empty, not an error; present and not a string: error).
inline bool text(simdjson::dom::object obj, std::string_view key, std::string_view& out,
                 std::string_view where, ReadError& error) {
  simdjson::dom::element v;
  out = {};
  if (obj.at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) return true;
  if (v.get_string().get(out) == simdjson::SUCCESS) return true;
  error.message = std::string(where) + ": field " + std::string(key) + " is not a string";
  return false;
}

// A decimal-string field through `parse_fn` (parse_qty, parse_price, parse_money); absent: unchanged.
template <typename T, typename ParseFn>
bool decimal(simdjson::dom::object obj, std::string_view key, T& out, ParseFn parse_fn,
             std::string_view where, ReadError& error) {
  std::string_view s;
  if (!text(obj, key, s, where, error)) return false;
  if (s.empty() || parse_fn(s, out) == DecimalError::ok) return true;
  error.message =
      std::string(where) + ": field " + std::string(key) + " = \"" + std::string(s) + "\" is not a decimal";
  return false;
}

// The body of a 200 answer to `what` ("kalshi GET /portfolio/orders"); anything else throws.
inline std::string ok_body(const net::HttpResult& r, std::string_view what) {
  if (!r.ok()) throw std::runtime_error(std::string(what) + ": " + r.message);
  if (r.response.status != 200)
    throw std::runtime_error(std::string(what) + ": HTTP " + std::to_string(r.response.status) + " " +
                             r.response.body.substr(0, 200));
  return r.response.body;
}

}  // namespace pmx::gateway::account_json
