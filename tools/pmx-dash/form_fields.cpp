#include "form_fields.h"

namespace pmx::dash {
namespace {

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `in` ('+' is a space); false on a malformed escape or a NUL byte.
bool decode(std::string_view in, std::string& out) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      c = ' ';
    } else if (c == '%') {
      if (i + 2 >= in.size()) return false;  // needs two hex digits
      const int hi = hex_digit(in[i + 1]);
      const int lo = hex_digit(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0') return false;
    out += c;
  }
  return true;
}

}  // namespace

std::optional<std::string_view> FormFields::get(std::string_view name) const {
  const auto it = fields.find(name);
  if (it == fields.end()) return std::nullopt;
  return std::string_view(it->second);
}

FormFields parse_form(std::string_view body) {
  FormFields form;
  if (body.size() > kMaxFormBytes) {
    form.error = "form body over " + std::to_string(kMaxFormBytes) + " bytes";
    return form;
  }
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view pair = body.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      form.error = "form field without '=' at byte " + std::to_string(end - pair.size());
      return form;
    }
    std::string name, value;
    if (!decode(pair.substr(0, eq), name) || !decode(pair.substr(eq + 1), value) || name.empty()) {
      form.error = "malformed form field at byte " + std::to_string(end - pair.size());
      return form;
    }
    if (!form.fields.emplace(std::move(name), std::move(value)).second) {
      form.error = "repeated form field at byte " + std::to_string(end - pair.size());
      return form;
    }
  }
  return form;
}

std::optional<bool> form_flag(std::string_view text) noexcept {
  if (text == "1" || text == "true" || text == "on" || text == "yes") return true;
  if (text.empty() || text == "0" || text == "false" || text == "off" || text == "no") return false;
  return std::nullopt;
}

}  // namespace pmx::dash
