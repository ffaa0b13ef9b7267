#include "json_out.h"

#include <cmath>

#include <fmt/format.h>

#include "pmx/core/decimal.h"
#include "pmx/core/json_string.h"

namespace pmx::dash {

void JsonOut::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (need_comma_) out_ += ',';
}

JsonOut& JsonOut::begin_object() {
  separate();
  out_ += '{';
  need_comma_ = false;
  return *this;
}
JsonOut& JsonOut::end_object() {
  out_ += '}';
  need_comma_ = true;
  return *this;
}
JsonOut& JsonOut::begin_array() {
  separate();
  out_ += '[';
  need_comma_ = false;
  return *this;
}
JsonOut& JsonOut::end_array() {
  out_ += ']';
  need_comma_ = true;
  return *this;
}
JsonOut& JsonOut::key(std::string_view name) {
  separate();
  append_json_string(out_, name);
  out_ += ':';
  after_key_ = true;
  return *this;
}
JsonOut& JsonOut::raw(std::string_view json) {
  separate();
  out_ += json;
  need_comma_ = true;
  return *this;
}
JsonOut& JsonOut::string(std::string_view value) {
  separate();
  append_json_string(out_, value);
  need_comma_ = true;
  return *this;
}
JsonOut& JsonOut::boolean(bool value) {
  return raw(value ? "true" : "false");
}
JsonOut& JsonOut::null() {
  return raw("null");
}
JsonOut& JsonOut::integer(int64_t value) {
  return raw(std::to_string(value));
}
JsonOut& JsonOut::decimal(int64_t value, int decimals) {
  return raw(decimal_text(value, decimals));
}
JsonOut& JsonOut::real(double value) {
  return std::isfinite(value) ? raw(fmt::format("{}", value)) : null();
}

}  // namespace pmx::dash
