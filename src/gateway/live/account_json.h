// Private helpers of the account-read parsers (start-up code): simdjson DOM lookups of optional
// decimal-string fields, each failure one line naming the endpoint and the field.
#pragma once

#include <string>
#include <string_view>

#include <simdjson.h>

#include "pmx/core/decimal.h"
#include "pmx/gateway/live/account_snapshot.h"

namespace pmx::gateway::account_json {

// Parses `json` into `doc` (the parser keeps the storage); false with `error` set.
inline bool parse(simdjson::dom::parser& parser, std::string_view json, simdjson::dom::element& doc,
                  std::string_view where, ReadError& error) {
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS) {
    error.message = std::string(where) + ": not JSON";
    return false;
  }
  return true;
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

}  // namespace pmx::gateway::account_json
