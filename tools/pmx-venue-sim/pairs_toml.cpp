#include "pairs_toml.h"

#include <cstdio>

#include "synthetic_market.h"

namespace pmx::sim {

namespace {

// A TOML basic string: the same escapes as JSON for what the universe can hold.
std::string quoted(const std::string& text) {
  std::string s = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      s += '\\';
      s += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      s += buf;
    } else {
      s += c;
    }
  }
  return s + "\"";
}

}  // namespace

std::string pairs_toml(const Universe& universe, const std::string& header) {
  std::string out = "# " + header + "\n";
  for (const SimPair& pair : universe.pairs) {
    const SimMarket& k = universe.markets.at(pair.kalshi);
    const SimMarket& p = universe.markets.at(pair.polymarket);
    out += "\n[[pair]]\n";
    out += "kalshi_ticker = " + quoted(k.key) + "\n";
    out += "polymarket_condition_id = " + quoted(p.key) + "\n";
    out += "polymarket_yes_token = " + quoted(p.yes_token) + "\n";
    out += "polymarket_no_token = " + quoted(p.no_token) + "\n";
    out += "title = " + quoted(k.title) + "\n";
    out += "kalshi_resolution_source = " + quoted(k.resolution_source) + "\n";
    out += "kalshi_resolution_date = " + quoted(rfc3339_utc(k.close_ms)) + "\n";
    out += "polymarket_resolution_source = " + quoted(p.resolution_source) + "\n";
    out += "polymarket_resolution_date = " + quoted(rfc3339_utc(p.close_ms)) + "\n";
    out += std::string("equivalent = ") + (pair.equivalent ? "true" : "false") + "\n";
  }
  return out;
}

}  // namespace pmx::sim
