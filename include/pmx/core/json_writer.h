// JsonWriter: the one streaming JSON text builder for tools, reports and the dashboard (start-up
// and tool code, never the hot path: it allocates). Objects and arrays insert their own commas.
// Strings go through append_json_string (also safe inside HTML <script>); exact decimals are
// printed from the fixed-point integers (format_fixed), never through a double.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pmx {

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view value);
  JsonWriter& boolean(bool value);
  JsonWriter& null();
  JsonWriter& integer(int64_t value);
  JsonWriter& unsigned_integer(uint64_t value);
  // value / 10^decimals, exact, with at least min_decimals fractional digits (0: canonical).
  JsonWriter& decimal(int64_t value, int decimals, int min_decimals = 0);
  // Model outputs: shortest round-trip text; NaN and infinities (not JSON) become null.
  JsonWriter& real(double value);
  // The same with exactly `fraction_digits` digits after the point (stable report text).
  JsonWriter& real(double value, int fraction_digits);
  JsonWriter& raw(std::string_view json);  // an already-serialised value

  // Puts the next value on a new line (after its comma): whitespace for readable reports.
  JsonWriter& line_break();

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void separate();

  std::string out_;
  bool need_comma_ = false;
  bool after_key_ = false;
  bool line_break_ = false;
};

}  // namespace pmx
