#include "capture_source.h"

#include <charconv>
#include <fstream>
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
