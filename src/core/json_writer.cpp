#include "pmx/core/json_writer.h"

#include <cmath>
#include <cstdio>

#include <fmt/format.h>

#include "pmx/core/decimal.h"
#include "pmx/core/json_string.h"

namespace pmx {

// A value directly after its key takes no comma; any other value after a value does.
void JsonWriter::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (need_comma_) out_ += ',';
  if (line_break_) {
    out_ += '\n';
    line_break_ = false;
  }
}

JsonWriter& JsonWriter::begin_object() {
  separate();
  out_ += '{';
  need_comma_ = false;
  return *this;
}
JsonWriter& JsonWriter::end_object() {
  out_ += '}';
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::begin_array() {
  separate();
  out_ += '[';
  need_comma_ = false;
  return *this;
}
JsonWriter& JsonWriter::end_array() {
  out_ += ']';
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  append_json_string(out_, name);
  out_ += ':';
  after_key_ = true;
  return *this;
}
JsonWriter& JsonWriter::raw(std::string_view json) {
  separate();
  out_ += json;
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::string(std::string_view value) {
  separate();
  append_json_string(out_, value);
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::boolean(bool value) {
  return raw(value ? "true" : "false");
}
JsonWriter& JsonWriter::null() {
  return raw("null");
}
JsonWriter& JsonWriter::integer(int64_t value) {
  return raw(std::to_string(value));
}
JsonWriter& JsonWriter::unsigned_integer(uint64_t value) {
  return raw(std::to_string(value));
}
JsonWriter& JsonWriter::decimal(int64_t value, int decimals, int min_decimals) {
  char buf[kMaxFixedChars + 2];
  return raw(format_fixed(value, decimals, min_decimals, buf, sizeof buf));
}
JsonWriter& JsonWriter::real(double value) {
  return std::isfinite(value) ? raw(fmt::format("{}", value)) : null();
}
JsonWriter& JsonWriter::real(double value, int fraction_digits) {
  return std::isfinite(value) ? raw(fmt::format("{:.{}f}", value, fraction_digits)) : null();
}
JsonWriter& JsonWriter::line_break() {
  line_break_ = true;
  return *this;
}

}  // namespace pmx
