#include "pmx/strategy/cross_venue_mapping.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "pmx/core/clock.h"

namespace pmx {
namespace {

constexpr int64_t kSecondsPerDay = 86'400;
constexpr double kDefaultMaxGapHours = 24.0;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

WallNanos to_wall(const toml::date& date, const toml::time& time, int64_t offset_minutes) {
  const int64_t seconds = days_from_civil(date.year, date.month, date.day) * kSecondsPerDay +
                          int64_t{time.hour} * 3600 + int64_t{time.minute} * 60 + int64_t{time.second} -
                          offset_minutes * 60;
  return WallNanos{seconds * kNanosPerSecond + int64_t{time.nanosecond}};
}

// A TOML date-time (with an offset, or local and taken as UTC) or a date (midnight UTC).
std::optional<WallNanos> read_date(const toml::node* node) {
  if (node == nullptr) return std::nullopt;
  if (const auto* dt = node->as_date_time()) {
    const toml::date_time& v = dt->get();
    return to_wall(v.date, v.time, v.offset ? v.offset->minutes : 0);
  }
  if (const auto* d = node->as_date()) return to_wall(d->get(), toml::time{}, 0);
  return std::nullopt;
}

std::optional<std::string> read_string(const toml::table* table, std::string_view key) {
  if (table == nullptr) return std::nullopt;
  const toml::node* node = table->get(key);
  if (node == nullptr || !node->is_string()) return std::nullopt;
  std::string value = node->as_string()->get();
  if (value.empty()) return std::nullopt;
  return value;
}

void add_reason(std::string& reasons, std::string_view reason) {
  if (!reasons.empty()) reasons += "; ";
  reasons += reason;
}

std::string in_quotes(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

}  // namespace

std::string format_utc(WallNanos t) {
  int64_t seconds = t.ns / kNanosPerSecond;
  if (t.ns % kNanosPerSecond < 0) --seconds;
  int64_t days = seconds / kSecondsPerDay;
  int64_t rest = seconds % kSecondsPerDay;
  if (rest < 0) {
    rest += kSecondsPerDay;
    --days;
  }
  // civil_from_days (H. Hinnant).
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = static_cast<int64_t>(yoe) + era * 400 + (month <= 2);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(year),
                month, day, static_cast<long long>(rest / 3600), static_cast<long long>(rest / 60 % 60),
                static_cast<long long>(rest % 60));
  return buf;
}

CrossVenueMapping parse_cross_venue_mapping(std::string_view toml_text, std::string_view origin) {
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    throw CrossVenueMappingError(std::string(origin) + ":" + std::to_string(e.source().begin.line) + ":" +
                                 std::to_string(e.source().begin.column) + ": " +
                                 std::string(e.description()));
  }

  double max_gap_hours = kDefaultMaxGapHours;
  if (const toml::node* gap = root.get("max_resolution_gap_hours")) {
    const std::optional<double> hours = gap->value<double>();
    if (!hours || !std::isfinite(*hours) || *hours < 0.0) {
      throw CrossVenueMappingError(std::string(origin) + ": max_resolution_gap_hours must be a number >= 0");
    }
    max_gap_hours = *hours;
  }
  for (const auto& [key, node] : root) {
    if (key != "pair" && key != "max_resolution_gap_hours") {
      throw CrossVenueMappingError(std::string(origin) + ": unknown key " + in_quotes(key.str()));
    }
  }

  CrossVenueMapping mapping;
  const toml::node* pairs_node = root.get("pair");
  if (pairs_node == nullptr) return mapping;
  const toml::array* pairs = pairs_node->as_array();
  if (pairs == nullptr || !pairs->is_array_of_tables()) {
    throw CrossVenueMappingError(std::string(origin) + ": pair must be an array of tables ([[pair]])");
  }

  std::set<std::string> seen_tickers;
  std::set<std::string> seen_tokens;
  const auto max_gap_ns = static_cast<int64_t>(max_gap_hours * 3600.0 * 1e9);
  size_t number = 0;
  for (const toml::node& node : *pairs) {
    ++number;
    const toml::table& table = *node.as_table();
    const toml::table* kalshi = table.get("kalshi") ? table.get("kalshi")->as_table() : nullptr;
    const toml::table* polymarket = table.get("polymarket") ? table.get("polymarket")->as_table() : nullptr;

    CrossVenuePair pair;
    std::string reasons;
    const auto require_string = [&](const toml::table* t, std::string_view side, std::string_view key,
                                    std::string& out) {
      if (auto value = read_string(t, key)) {
        out = std::move(*value);
      } else {
        add_reason(reasons,
                   std::string(side) + "." + std::string(key) + " is missing or not a non-empty string");
      }
    };
    const auto require_date = [&](const toml::table* t, std::string_view side, WallNanos& out) {
      if (auto value = read_date(t ? t->get("resolution_date") : nullptr)) {
        out = *value;
        return true;
      }
      add_reason(reasons, std::string(side) + ".resolution_date is missing or not a TOML date or date-time");
      return false;
    };

    const auto refuse_unknown_keys = [&](const toml::table* t, std::string_view where,
                                         std::initializer_list<std::string_view> allowed) {
      if (t == nullptr) return;
      for (const auto& [key, value] : *t) {
        bool known = false;
        for (const std::string_view a : allowed)
          known = known || key.str() == a;
        if (!known) add_reason(reasons, std::string(where) + " has an unknown key " + in_quotes(key.str()));
      }
    };
    refuse_unknown_keys(&table, "pair", {"name", "equivalent", "kalshi", "polymarket"});
    refuse_unknown_keys(kalshi, "kalshi", {"ticker", "resolution_source", "resolution_date"});
    refuse_unknown_keys(polymarket, "polymarket",
                        {"yes_token", "no_token", "resolution_source", "resolution_date"});

    require_string(kalshi, "kalshi", "ticker", pair.kalshi_ticker);
    pair.name = read_string(&table, "name").value_or(pair.kalshi_ticker);
    if (pair.name.empty()) pair.name = "pair " + std::to_string(number);

    const toml::node* equivalent = table.get("equivalent");
    if (equivalent == nullptr || !equivalent->is_boolean() || !equivalent->as_boolean()->get()) {
      add_reason(reasons, "equivalent is not true");
    }
    require_string(kalshi, "kalshi", "resolution_source", pair.kalshi_resolution_source);
    require_string(polymarket, "polymarket", "yes_token", pair.polymarket_yes_token);
    require_string(polymarket, "polymarket", "no_token", pair.polymarket_no_token);
    require_string(polymarket, "polymarket", "resolution_source", pair.polymarket_resolution_source);
    const bool kalshi_date = require_date(kalshi, "kalshi", pair.kalshi_resolution_date);
    const bool polymarket_date = require_date(polymarket, "polymarket", pair.polymarket_resolution_date);

    if (kalshi_date && polymarket_date) {
      const int64_t gap = pair.kalshi_resolution_date - pair.polymarket_resolution_date;
      if ((gap < 0 ? -gap : gap) > max_gap_ns) {
        char hours[64];
        std::snprintf(hours, sizeof hours, "%.1f h apart, more than %g h",
                      static_cast<double>(gap < 0 ? -gap : gap) / 3.6e12, max_gap_hours);
        add_reason(reasons, "resolution dates differ: kalshi " + format_utc(pair.kalshi_resolution_date) +
                                ", polymarket " + format_utc(pair.polymarket_resolution_date) + " (" + hours +
                                ")");
      }
    }
    if (!pair.kalshi_resolution_source.empty() && !pair.polymarket_resolution_source.empty() &&
        pair.kalshi_resolution_source != pair.polymarket_resolution_source) {
      add_reason(reasons, "resolution sources differ: kalshi " + in_quotes(pair.kalshi_resolution_source) +
                              ", polymarket " + in_quotes(pair.polymarket_resolution_source));
    }
    if (!pair.polymarket_yes_token.empty() && pair.polymarket_yes_token == pair.polymarket_no_token) {
      add_reason(reasons, "polymarket yes_token and no_token are the same token");
    }
    if (reasons.empty()) {
      if (seen_tickers.count(pair.kalshi_ticker))
        add_reason(reasons, "kalshi ticker already mapped by an earlier pair");
      if (seen_tokens.count(pair.polymarket_yes_token) || seen_tokens.count(pair.polymarket_no_token)) {
        add_reason(reasons, "polymarket token already mapped by an earlier pair");
      }
    }

    if (!reasons.empty()) {
      mapping.refused.push_back(RefusedPair{pair.name, std::move(reasons)});
      continue;
    }
    seen_tickers.insert(pair.kalshi_ticker);
    seen_tokens.insert(pair.polymarket_yes_token);
    seen_tokens.insert(pair.polymarket_no_token);
    mapping.pairs.push_back(std::move(pair));
  }
  return mapping;
}

CrossVenueMapping load_cross_venue_mapping(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CrossVenueMappingError(path.string() + ": cannot open the cross-venue mapping file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_cross_venue_mapping(text.str(), path.string());
}

namespace {

// A TOML basic string.
std::string toml_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

std::string format_cross_venue_mapping(const std::vector<CrossVenuePairClaim>& claims,
                                       std::string_view header) {
  std::string out = "# ";
  for (const char c : header)
    out += c == '\n' ? ' ' : c;
  out += '\n';
  for (const CrossVenuePairClaim& claim : claims) {
    const CrossVenuePair& p = claim.pair;
    out += "\n[[pair]]\n";
    if (!p.name.empty()) out += "name = " + toml_string(p.name) + "\n";
    out += std::string("equivalent = ") + (claim.equivalent ? "true" : "false") + "\n";
    out += "[pair.kalshi]\n";
    out += "ticker = " + toml_string(p.kalshi_ticker) + "\n";
    out += "resolution_source = " + toml_string(p.kalshi_resolution_source) + "\n";
    out += "resolution_date = " + format_utc(p.kalshi_resolution_date) + "\n";
    out += "[pair.polymarket]\n";
    out += "yes_token = " + toml_string(p.polymarket_yes_token) + "\n";
    out += "no_token = " + toml_string(p.polymarket_no_token) + "\n";
    out += "resolution_source = " + toml_string(p.polymarket_resolution_source) + "\n";
    out += "resolution_date = " + format_utc(p.polymarket_resolution_date) + "\n";
  }
  return out;
}

}  // namespace pmx
