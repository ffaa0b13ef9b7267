// application/x-www-form-urlencoded bodies of the control routes ("mode=live&confirm=live").
// Strict: a malformed percent escape, a field without '=', a repeated or overlong field, or a
// body over the limit is refused with a message, never guessed at.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace pmx::dash {

struct FormFields {
  std::map<std::string, std::string, std::less<>> fields;
  std::string error;  // empty when the body parsed

  bool ok() const noexcept { return error.empty(); }
  std::optional<std::string_view> get(std::string_view name) const;
};

inline constexpr size_t kMaxFormBytes = 4096;

FormFields parse_form(std::string_view body);

// "1", "true", "on", "yes" -> true; "0", "false", "off", "no", "" -> false; else nullopt.
std::optional<bool> form_flag(std::string_view text) noexcept;

}  // namespace pmx::dash
