// HTML escaping for every text that reaches a page (the dashboard, the backtest HTML report):
// market names, tickers and titles from the venues, engine messages, configuration values. The
// five characters that can open a tag, an entity or end an attribute value become entities, so a
// title "<script>" renders as text.
#pragma once

#include <string>
#include <string_view>

namespace pmx {

// Appends `text` to `out` with & < > " ' escaped; safe in element content and in quoted
// attribute values.
void append_html_escaped(std::string& out, std::string_view text);

inline std::string html_escaped(std::string_view text) {
  std::string out;
  append_html_escaped(out, text);
  return out;
}

}  // namespace pmx
