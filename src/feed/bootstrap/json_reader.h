// Internal to pmx_feed_bootstrap: typed reads of simdjson On-Demand values with the two error
// levels of bootstrap_error.h.
//
// A read returns `fatal` when the document itself is broken (truncated, unbalanced, bad string):
// On-Demand finds those lazily, while walking, and the walk must stop there. `null` and
// `wrong_type` are about one field of one record: the record is skipped, the walk goes on (an
// unread value is skipped by On-Demand when the iteration moves past it).
//
// Prices never pass through a double: read_decimal_text hands back the exact characters of a
// JSON number (its raw token) or of a string, for pmx::parse_price.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "pmx/core/decimal.h"
#include "pmx/feed/bootstrap/bootstrap_error.h"

namespace pmx::bootstrap_detail {

namespace od = simdjson::ondemand;

enum class Read : uint8_t { ok, null, wrong_type, fatal };

inline Read type_of(od::value& v, od::json_type& type) noexcept {
  return v.type().get(type) ? Read::fatal : Read::ok;
}

inline Read read_string(od::value& v, std::string_view& out) noexcept {
  od::json_type t;
  if (type_of(v, t) != Read::ok) return Read::fatal;
  if (t == od::json_type::null) return Read::null;
  if (t != od::json_type::string) return Read::wrong_type;
  return v.get_string().get(out) ? Read::fatal : Read::ok;
}

inline Read read_bool(od::value& v, bool& out) noexcept {
  od::json_type t;
  if (type_of(v, t) != Read::ok) return Read::fatal;
  if (t == od::json_type::null) return Read::null;
  if (t != od::json_type::boolean) return Read::wrong_type;
  return v.get_bool().get(out) ? Read::wrong_type : Read::ok;
}

// A number, for models only (strikes, fee coefficients); a string holding a number is accepted.
inline Read read_double(od::value& v, double& out) noexcept {
  od::json_type t;
  if (type_of(v, t) != Read::ok) return Read::fatal;
  if (t == od::json_type::null) return Read::null;
  if (t == od::json_type::number) return v.get_double().get(out) ? Read::wrong_type : Read::ok;
  if (t == od::json_type::string) return v.get_double_in_string().get(out) ? Read::wrong_type : Read::ok;
  return Read::wrong_type;
}

// The exact text of a decimal sent as a JSON number (0.001) or string ("0.0010").
inline Read read_decimal_text(od::value& v, std::string_view& out) noexcept {
  od::json_type t;
  if (type_of(v, t) != Read::ok) return Read::fatal;
  if (t == od::json_type::null) return Read::null;
  if (t == od::json_type::string) return v.get_string().get(out) ? Read::fatal : Read::ok;
  if (t != od::json_type::number) return Read::wrong_type;
  std::string_view token = v.raw_json_token();
  while (!token.empty() &&
         (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' || token.back() == '\t')) {
    token.remove_suffix(1);
  }
  out = token;
  return Read::ok;
}

// True when the whole document has been read: nothing trails the top-level value. (simdjson
// 3.0.1 has no document::at_end(); current_location() says OUT_OF_BOUNDS exactly then.)
inline bool at_end(od::document& doc) noexcept {
  return doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
}

// The first problem of one record; later ones are not reported (one line per record).
struct RecordProblem {
  BootstrapError error = BootstrapError::ok;
  std::string message;

  bool any() const noexcept { return error != BootstrapError::ok; }
  void set(BootstrapError e, std::string m) {
    if (any()) return;
    error = e;
    message = std::move(m);
  }
  // Files the outcome of reading `field`: false when the document is broken (stop the walk).
  bool note(Read r, std::string_view field, std::string_view expected) {
    if (r == Read::fatal) return false;
    if (r == Read::wrong_type)
      set(BootstrapError::wrong_type, std::string(field) + ": expected " + std::string(expected));
    return true;
  }
  void require(bool present, std::string_view field) {
    if (!present) set(BootstrapError::missing_field, std::string(field) + ": missing");
  }
};

// Parses `text` as a Price that must be a tick size: in (0, $0.10] and dividing $1 evenly.
inline bool parse_tick(std::string_view text, Price& out, std::string& why) {
  Price p{};
  const DecimalError e = parse_price(text, p);
  if (e != DecimalError::ok) {
    why = "\"" + std::string(text) + "\": " + std::string(to_string(e));
    return false;
  }
  if (p.ticks <= 0 || p.ticks > 1000 || Price::kTicksPerDollar % p.ticks != 0) {
    why = "\"" + std::string(text) + "\": not a tick size (0 < tick <= 0.1 dividing $1)";
    return false;
  }
  out = p;
  return true;
}

// Page-level failure text with simdjson's reason.
inline std::string json_failure(std::string_view what, simdjson::error_code e) {
  return std::string(what) + ": " + simdjson::error_message(e);
}

// Iterates the top level of a page: an object (calls on_field(key, value)) or, when allowed, an
// array (calls on_element(value, index)). Returns ok, or bad_json/bad_shape with `message`.
// A callback returns false when the document turned out broken.
template <class OnField, class OnElement>
BootstrapError walk_page(od::parser& parser, const simdjson::padded_string& json, std::string& message,
                         bool array_allowed, OnField&& on_field, OnElement&& on_element) {
  od::document doc;
  if (auto e = parser.iterate(json).get(doc)) {
    message = json_failure("not JSON", e);
    return BootstrapError::bad_json;
  }
  od::json_type t;
  if (auto e = doc.type().get(t)) {
    message = json_failure("not JSON", e);
    return BootstrapError::bad_json;
  }
  auto broken = [&](simdjson::error_code e) {
    message = json_failure("broken JSON", e == simdjson::SUCCESS ? simdjson::TAPE_ERROR : e);
    return BootstrapError::bad_json;
  };
  if (t == od::json_type::object) {
    od::object root;
    if (auto e = doc.get_object().get(root)) return broken(e);
    for (auto field : root) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return broken(e);
      od::value v;
      if (auto e = field.value().get(v)) return broken(e);
      if (!on_field(key, v)) return broken(simdjson::SUCCESS);
    }
  } else if (t == od::json_type::array && array_allowed) {
    od::array root;
    if (auto e = doc.get_array().get(root)) return broken(e);
    size_t index = 0;
    for (auto element : root) {
      od::value v;
      if (auto e = element.get(v)) return broken(e);
      if (!on_element(v, index++)) return broken(simdjson::SUCCESS);
    }
  } else {
    message = array_allowed ? "expected a JSON object or array at the top level"
                            : "expected a JSON object at the top level";
    return BootstrapError::bad_shape;
  }
  if (!at_end(doc)) {
    message = "broken JSON: trailing content after the top-level value";
    return BootstrapError::bad_json;
  }
  return BootstrapError::ok;
}

// Iterates an array value, calling on_element(value, index); false when the document is broken.
template <class OnElement>
bool walk_array(od::value& v, OnElement&& on_element) {
  od::array arr;
  if (v.get_array().get(arr)) return false;
  size_t index = 0;
  for (auto element : arr) {
    od::value item;
    if (element.get(item)) return false;
    if (!on_element(item, index++)) return false;
  }
  return true;
}

// Iterates an object value, calling on_field(key, value); false when the document is broken.
template <class OnField>
bool walk_object(od::value& v, OnField&& on_field) {
  od::object obj;
  if (v.get_object().get(obj)) return false;
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return false;
    od::value item;
    if (field.value().get(item)) return false;
    if (!on_field(key, item)) return false;
  }
  return true;
}

inline bool is_type(od::value& v, od::json_type expected, Read& r) noexcept {
  od::json_type t;
  r = type_of(v, t);
  if (r != Read::ok) return false;
  if (t == od::json_type::null) {
    r = Read::null;
    return false;
  }
  if (t != expected) {
    r = Read::wrong_type;
    return false;
  }
  return true;
}

// ---- the envelope of a paginated listing page: {"<records>": [...], "<cursor>": "...", ...} ----

// The page's array of records under `key`: calls on_item(value, index) for each. Anything but an
// array is the page's shape problem. False when the document is broken.
template <class OnItem>
bool walk_records(od::value& v, std::string_view key, std::string& shape_problem, OnItem&& on_item) {
  Read r;
  if (!is_type(v, od::json_type::array, r)) {
    if (r != Read::fatal) shape_problem = "\"" + std::string(key) + "\" is not an array";
    return r != Read::fatal;
  }
  return walk_array(v, on_item);
}

// The page's cursor under `key` (null: none). False when the document is broken.
inline bool read_cursor(od::value& v, std::string_view key, std::string& cursor, std::string& shape_problem) {
  std::string_view s;
  const Read r = read_string(v, s);
  if (r == Read::fatal) return false;
  if (r == Read::wrong_type) shape_problem = std::string(key) + ": expected a string";
  if (r == Read::ok) cursor = std::string(s);
  return true;
}

// The page's error once walked: a broken document stands; otherwise a shape problem, or no
// records array (`missing` says what was expected), makes it bad_shape.
inline BootstrapError page_error(BootstrapError walked, bool has_records, const std::string& shape_problem,
                                 std::string_view missing, std::string& message) {
  if (walked != BootstrapError::ok || (shape_problem.empty() && has_records)) return walked;
  message = shape_problem.empty() ? std::string(missing) : shape_problem;
  return BootstrapError::bad_shape;
}

// A whole listing page {"<records_key>": [...], "<cursor_key>": "...", ...}, other keys ignored:
// calls on_record(value, index) for each record and sets `cursor`. Returns the page's error, with
// `message`.
template <class OnRecord>
BootstrapError parse_listing(std::string_view json, std::string_view records_key, std::string_view cursor_key,
                             std::string& cursor, std::string& message, OnRecord&& on_record) {
  const simdjson::padded_string padded(json);
  od::parser parser;
  bool has_records = false;
  std::string shape_problem;
  const BootstrapError walked = walk_page(
      parser, padded, message, /*array_allowed=*/false,
      [&](std::string_view key, od::value& v) {
        if (key == cursor_key) return read_cursor(v, key, cursor, shape_problem);
        if (key != records_key) return true;
        has_records = true;
        return walk_records(v, key, shape_problem, on_record);
      },
      [](od::value&, size_t) { return true; });
  return page_error(walked, has_records, shape_problem, "no \"" + std::string(records_key) + "\" array",
                    message);
}

}  // namespace pmx::bootstrap_detail
