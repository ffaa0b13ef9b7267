// JSON string literals for text that comes from outside: venue tickers and titles, names read
// from shared memory. Escapes what JSON requires, plus < > & and U+2028/2029 so the text is
// also safe inside an HTML <script> and in JavaScript; bytes that are not UTF-8 become U+FFFD.
#pragma once

#include <string>
#include <string_view>

namespace pmx {

// Appends `text` as a quoted JSON string literal.
void append_json_string(std::string& out, std::string_view text);

inline std::string json_string(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

}  // namespace pmx
