#include "capture_source.h"

#include <charconv>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

#include <boost/json.hpp>

namespace pmx::sim {

namespace json = boost::json;

size_t FrameSource::count(Venue v) const {
  size_t n = 0;
  for (const auto& f : frames)
    n += f.venue == v ? 1 : 0;
  return n;
}

namespace {

std::string string_field(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

void collect_assets(const json::object& event, SimFrame& frame) {
  std::string id = string_field(event, "asset_id");
  if (!id.empty()) frame.asset_ids.push_back(std::move(id));
  if (const auto* changes = event.if_contains("price_changes"); changes && changes->is_array()) {
    for (const auto& c : changes->get_array()) {
      if (c.is_object()) {
        std::string cid = string_field(c.get_object(), "asset_id");
        if (!cid.empty()) frame.asset_ids.push_back(std::move(cid));
      }
    }
  }
}

}  // namespace

void classify_frame(SimFrame& frame) {
  boost::system::error_code ec;
  json::value v = json::parse(frame.text, ec);
  if (ec) return;
  if (frame.venue == Venue::kalshi) {
    if (!v.is_object()) return;
    const auto& o = v.get_object();
    frame.type = string_field(o, "type");
    frame.has_sid = o.contains("sid");
    frame.has_seq = o.contains("seq");
    if (const auto* msg = o.if_contains("msg"); msg && msg->is_object()) {
      frame.market_ticker = string_field(msg->get_object(), "market_ticker");
    }
    return;
  }
  if (v.is_object()) {
    frame.type = string_field(v.get_object(), "event_type");
    collect_assets(v.get_object(), frame);
  } else if (v.is_array()) {
    for (const auto& e : v.get_array()) {
      if (!e.is_object()) continue;
      if (frame.type.empty()) frame.type = string_field(e.get_object(), "event_type");
      collect_assets(e.get_object(), frame);
    }
  }
}

Universe capture_universe(const FrameSource& source) {
  constexpr int64_t kFarFuture = 4'102'444'800'000;  // 2100-01-01: a capture says nothing of expiry
  Universe u;
  std::map<std::string, size_t> kalshi;  // ticker -> market index
  std::map<std::string, size_t> poly;    // condition id -> market index
  std::map<std::string, size_t> events;  // Kalshi event ticker -> event index
  std::set<std::string> assets;
  auto add_poly_asset = [&](const std::string& condition, const std::string& asset) {
    if (condition.empty() || asset.empty() || !assets.insert(asset).second) return;
    auto [it, fresh] = poly.try_emplace(condition, u.markets.size());
    if (fresh) {
      SimMarket m;
      m.venue = Venue::polymarket;
      m.key = condition;
      m.event_key = condition;
      m.slug = condition;
      m.title = condition;
      m.close_ms = kFarFuture;
      u.markets.push_back(std::move(m));
      SimEvent e;
      e.venue = Venue::polymarket;
      e.key = condition;
      e.slug = condition;
      e.title = condition;
      e.markets = {it->second};
      u.events.push_back(std::move(e));
    }
    SimMarket& m = u.markets[it->second];
    if (m.yes_token.empty()) {
      m.yes_token = asset;
    } else if (m.no_token.empty()) {
      m.no_token = asset;
    }
  };
  for (const auto& f : source.frames) {
    if (f.venue == Venue::kalshi) {
      if (f.market_ticker.empty() || kalshi.contains(f.market_ticker)) continue;
      SimMarket m;
      m.venue = Venue::kalshi;
      m.key = f.market_ticker;
      const size_t dash = m.key.rfind('-');
      m.event_key = dash == std::string::npos ? m.key : m.key.substr(0, dash);
      const size_t first_dash = m.key.find('-');
      m.series_key = first_dash == std::string::npos ? m.key : m.key.substr(0, first_dash);
      m.title = m.key;
      m.outcome = m.key;
      m.close_ms = kFarFuture;
      kalshi[m.key] = u.markets.size();
      auto [ev, fresh] = events.try_emplace(m.event_key, u.events.size());
      if (fresh) {
        SimEvent e;
        e.venue = Venue::kalshi;
        e.key = m.event_key;
        e.series_key = m.series_key;
        e.title = m.event_key;
        u.events.push_back(std::move(e));
      }
      u.events[ev->second].markets.push_back(u.markets.size());
      u.markets.push_back(std::move(m));
      continue;
    }
    boost::system::error_code ec;
    json::value v = json::parse(f.text, ec);
    if (ec) continue;
    auto visit = [&](const json::object& event) {
      const std::string condition = string_field(event, "market");
      add_poly_asset(condition, string_field(event, "asset_id"));
      if (const auto* changes = event.if_contains("price_changes"); changes && changes->is_array()) {
        for (const auto& c : changes->get_array()) {
          if (c.is_object()) add_poly_asset(condition, string_field(c.get_object(), "asset_id"));
        }
      }
    };
    if (v.is_object()) visit(v.get_object());
    if (v.is_array()) {
      for (const auto& e : v.get_array()) {
        if (e.is_object()) visit(e.get_object());
      }
    }
  }
  return u;
}

void load_capture_file(FrameSource& source, const std::string& path, std::optional<Venue> bare_venue) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open capture file");
  std::string line;
  uint64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    SimFrame frame;
    const size_t tab1 = line.find('\t');
    const size_t tab2 = tab1 == std::string::npos ? std::string::npos : line.find('\t', tab1 + 1);
    bool recorded = false;
    if (tab2 != std::string::npos) {
      const std::string_view venue(line.data() + tab1 + 1, tab2 - tab1 - 1);
      int64_t ts = 0;
      auto [ptr, ec] = std::from_chars(line.data(), line.data() + tab1, ts);
      if (ec == std::errc{} && ptr == line.data() + tab1 && (venue == "kalshi" || venue == "polymarket")) {
        frame.ts_ns = ts;
        frame.venue = venue == "kalshi" ? Venue::kalshi : Venue::polymarket;
        frame.text = line.substr(tab2 + 1);
        recorded = true;
      }
    }
    if (!recorded) {
      if (!bare_venue) {
        throw std::runtime_error(path + ":" + std::to_string(line_no) +
                                 ": not `<ts_ns>\\t<venue>\\t<frame>`; for bare frames pass --venue");
      }
      frame.venue = *bare_venue;
      frame.text = std::move(line);
    }
    classify_frame(frame);
    source.frames.push_back(std::move(frame));
  }
}

}  // namespace pmx::sim
