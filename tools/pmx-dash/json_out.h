// JsonOut: a minimal JSON text builder for the dashboard's API answers. Strings go through
// pmx::append_json_string (which also escapes < > & so the text is safe inside HTML); exact
// decimals come from the fixed-point integers (decimal_text), never through a double.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pmx::dash {

class JsonOut {
 public:
  JsonOut& begin_object();
  JsonOut& end_object();
  JsonOut& begin_array();
  JsonOut& end_array();
  JsonOut& key(std::string_view name);
  JsonOut& string(std::string_view value);
  JsonOut& boolean(bool value);
  JsonOut& null();
  JsonOut& integer(int64_t value);
  JsonOut& decimal(int64_t value, int decimals);  // value / 10^decimals, exact
  JsonOut& real(double value);                    // model outputs; non-finite -> null
  JsonOut& raw(std::string_view json);            // an already-serialised value

  std::string take() { return std::move(out_); }

 private:
  void separate();
  std::string out_;
  bool need_comma_ = false;
  bool after_key_ = false;
};

}  // namespace pmx::dash
