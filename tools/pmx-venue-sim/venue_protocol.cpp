#include "venue_protocol.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

#include <boost/json.hpp>

namespace pmx::sim {

namespace json = boost::json;

namespace {

size_t skip_ws(std::string_view s, size_t i) {
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
    ++i;
  return i;
}

// Index just past the JSON string starting at s[i] == '"', or npos.
size_t skip_string(std::string_view s, size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// Index just past the JSON value starting at s[i], or npos.
size_t skip_value(std::string_view s, size_t i) {
  if (i >= s.size()) return std::string_view::npos;
  if (s[i] == '"') return skip_string(s, i);
  if (s[i] == '{' || s[i] == '[') {
    int depth = 0;
    for (; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '"') {
        i = skip_string(s, i);
        if (i == std::string_view::npos) return i;
        --i;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
    }
    return std::string_view::npos;
  }
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' &&
         !std::isspace(static_cast<unsigned char>(s[i]))) {
    ++i;
  }
  return i;
}

// "0.0100" → 100 (units of 1/10^scale); false on anything else.
bool parse_fixed(std::string_view text, int scale, int64_t& out) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  int64_t value = 0;
  int decimals = -1;
  if (text.empty()) return false;
  for (char c : text) {
    if (c == '.') {
      if (decimals >= 0) return false;
      decimals = 0;
      continue;
    }
    if (c < '0' || c > '9') return false;
    if (decimals >= scale) continue;  // truncate digits beyond the scale
    value = value * 10 + (c - '0');
    if (decimals >= 0) ++decimals;
  }
  for (int d = decimals < 0 ? 0 : decimals; d < scale; ++d)
    value *= 10;
  out = negative ? -value : value;
  return true;
}

std::string kalshi_error(int64_t id, int code, std::string_view msg) {
  json::object o{{"id", id}, {"type", "error"}, {"msg", json::object{{"code", code}, {"msg", msg}}}};
  return json::serialize(o);
}

std::string channel_of(const std::string& type) {
  if (type == "orderbook_snapshot" || type == "orderbook_delta") return "orderbook_delta";
  return type;
}

bool known_kalshi_channel(std::string_view c) {
  static constexpr std::string_view kChannels[] = {"orderbook_delta",
                                                   "ticker",
                                                   "trade",
                                                   "fill",
                                                   "market_positions",
                                                   "market_lifecycle_v2",
                                                   "communications",
                                                   "order_group_updates",
                                                   "user_orders",
                                                   "cfbenchmarks_value",
                                                   "pyth_value",
                                                   "multivariate_market_lifecycle"};
  for (auto k : kChannels) {
    if (k == c) return true;
  }
  return false;
}

std::vector<std::string> string_list(const json::object& params, std::string_view one,
                                     std::string_view many) {
  std::vector<std::string> out;
  if (const auto* v = params.if_contains(one); v && v->is_string()) out.emplace_back(v->get_string());
  if (const auto* v = params.if_contains(many); v && v->is_array()) {
    for (const auto& e : v->get_array()) {
      if (e.is_string()) out.emplace_back(e.get_string());
    }
  }
  return out;
}

// Steps scanned without a frame for this connection before next_step yields an empty step, so an
// endless synthetic stream that routes nothing here neither spins forever nor skips its pacing.
constexpr size_t kMaxScan = 256;

}  // namespace

std::string_view kalshi_error_text(int code) {
  switch (code) {
    case 1:
      return "Unable to process message";
    case 2:
      return "Params required";
    case 3:
      return "Channels required";
    case 4:
      return "Subscription IDs required";
    case 5:
      return "Unknown command";
    case 6:
      return "Already subscribed";
    case 7:
      return "Unknown subscription ID";
    case 8:
      return "Unknown channel name";
    case 9:
      return "Authentication required";
    case 10:
      return "Channel error";
    case 11:
      return "Invalid parameter";
    case 12:
      return "Exactly one subscription ID is required";
    case 13:
      return "Unsupported action";
    case 14:
      return "Market Ticker required";
    case 15:
      return "Action required";
    case 16:
      return "Market not found";
    case 17:
      return "Internal error";
    case 18:
      return "Command timeout";
    case 25:
      return "Subscription buffer overflow";
    case 26:
      return "Subscription market limit exceeded";
    case 27:
      return "Too many requests";
    case 28:
      return "Underlying tickers required";
    default:
      return "Error";
  }
}

bool kalshi_error_is_terminal(int code) {
  return code == 10 || code == 17 || code == 25;
}

bool rewrite_top_level_int(std::string& frame, std::string_view key, int64_t value) {
  const std::string_view s = frame;
  size_t i = skip_ws(s, 0);
  if (i >= s.size() || s[i] != '{') return false;
  i = skip_ws(s, i + 1);
  while (i < s.size() && s[i] == '"') {
    const size_t key_end = skip_string(s, i);
    if (key_end == std::string_view::npos) return false;
    const std::string_view k = s.substr(i + 1, key_end - i - 2);
    i = skip_ws(s, key_end);
    if (i >= s.size() || s[i] != ':') return false;
    const size_t value_begin = skip_ws(s, i + 1);
    const size_t value_end = skip_value(s, value_begin);
    if (value_end == std::string_view::npos) return false;
    if (k == key) {
      frame.replace(value_begin, value_end - value_begin, std::to_string(value));
      return true;
    }
    i = skip_ws(s, value_end);
    if (i < s.size() && s[i] == ',') i = skip_ws(s, i + 1);
  }
  return false;
}

VenueProtocol::VenueProtocol(Venue venue, const FrameSource& source, Pace pace, FaultOptions faults)
    : venue_(venue), source_(source), pace_(pace), faults_(faults) {
  if (source.synthetic) synthetic_ = std::make_unique<SyntheticMarket>(*source.synthetic);
}

void VenueProtocol::on_client_text(std::string_view text, std::vector<std::string>& out) {
  if (venue_ == Venue::kalshi) {
    kalshi_command(text, out);
  } else {
    polymarket_command(text, out);
  }
}

void VenueProtocol::kalshi_command(std::string_view text, std::vector<std::string>& out) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return out.push_back(kalshi_error(0, 1, "Unable to process message"));
  const auto& o = v.get_object();
  int64_t id = 0;
  if (const auto* idv = o.if_contains("id"); idv && idv->is_int64()) id = idv->get_int64();
  const auto* cmdv = o.if_contains("cmd");
  const std::string cmd = cmdv && cmdv->is_string() ? std::string(cmdv->get_string()) : std::string();
  static const json::object kEmpty;
  const auto* pv = o.if_contains("params");
  const json::object& params = pv && pv->is_object() ? pv->get_object() : kEmpty;

  if (cmd == "subscribe") {
    if (!pv) return out.push_back(kalshi_error(id, 2, "Params required"));
    const auto channels = string_list(params, "channel", "channels");
    if (channels.empty()) return out.push_back(kalshi_error(id, 3, "Channels required"));
    const auto tickers = string_list(params, "market_ticker", "market_tickers");
    for (const auto& c : channels) {
      if (!known_kalshi_channel(c)) return out.push_back(kalshi_error(id, 8, "Unknown channel name"));
      if (c == "orderbook_delta" && tickers.empty())
        return out.push_back(kalshi_error(id, 14, "Market Ticker required"));
    }
    for (const auto& c : channels) {
      KalshiSub sub;
      sub.sid = next_sid_++;
      sub.channel = c;
      sub.tickers.insert(tickers.begin(), tickers.end());
      out.push_back(json::serialize(json::object{
          {"id", id}, {"type", "subscribed"}, {"msg", json::object{{"channel", c}, {"sid", sub.sid}}}}));
      subs_.push_back(std::move(sub));
      if (c == "orderbook_delta") {
        for (const auto& t : tickers) {
          if (books_.contains(t)) out.push_back(snapshot_frame(t, subs_.back()));
        }
      }
    }
    replaying_ = true;
    return;
  }
  if (cmd == "unsubscribe") {
    std::vector<int64_t> sids;
    if (const auto* s = params.if_contains("sids"); s && s->is_array()) {
      for (const auto& e : s->get_array()) {
        if (e.is_int64()) sids.push_back(e.get_int64());
      }
    }
    if (sids.empty()) return out.push_back(kalshi_error(id, 4, "Subscription IDs required"));
    for (int64_t sid : sids) {
      auto it = std::find_if(subs_.begin(), subs_.end(), [&](const KalshiSub& s) { return s.sid == sid; });
      if (it == subs_.end()) {
        out.push_back(kalshi_error(id, 7, "Unknown subscription ID"));
        continue;
      }
      out.push_back(json::serialize(
          json::object{{"id", id}, {"sid", sid}, {"seq", it->seq + 1}, {"type", "unsubscribed"}}));
      subs_.erase(it);
    }
    return;
  }
  if (cmd == "list_subscriptions") {
    json::array list;
    for (const auto& s : subs_)
      list.push_back(json::object{{"channel", s.channel}, {"sid", s.sid}});
    return out.push_back(json::serialize(json::object{{"id", id}, {"type", "ok"}, {"msg", list}}));
  }
  const auto* action = params.if_contains("action");
  const bool snapshot_action =
      cmd == "update_subscription" && action && action->is_string() && action->get_string() == "get_snapshot";
  if (cmd == "get_snapshot" || snapshot_action) {
    const auto tickers = string_list(params, "market_ticker", "market_tickers");
    if (tickers.empty()) return out.push_back(kalshi_error(id, 14, "Market Ticker required"));
    std::vector<int64_t> sids = [&] {
      std::vector<int64_t> r;
      if (const auto* s = params.if_contains("sid"); s && s->is_int64()) r.push_back(s->get_int64());
      if (const auto* s = params.if_contains("sids"); s && s->is_array()) {
        for (const auto& e : s->get_array()) {
          if (e.is_int64()) r.push_back(e.get_int64());
        }
      }
      return r;
    }();
    KalshiSub* sub = nullptr;
    for (auto& s : subs_) {
      if (s.channel == "orderbook_delta" && (sids.empty() || s.sid == sids.front())) {
        sub = &s;
        break;
      }
    }
    if (!sub) return out.push_back(kalshi_error(id, 7, "Unknown subscription ID"));
    for (const auto& t : tickers) {
      if (!books_.contains(t)) return out.push_back(kalshi_error(id, 16, "Market not found"));
    }
    json::array list;
    for (const auto& t : tickers)
      list.emplace_back(t);
    out.push_back(json::serialize(json::object{
        {"id", id}, {"sid", sub->sid}, {"type", "ok"}, {"msg", json::object{{"market_tickers", list}}}}));
    for (const auto& t : tickers)
      out.push_back(snapshot_frame(t, *sub));
    return;
  }
  out.push_back(kalshi_error(id, 5, "Unknown command"));
}

void VenueProtocol::polymarket_command(std::string_view text, std::vector<std::string>& out) {
  if (text == "PING") return out.push_back("PONG");
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object() || !v.get_object().contains("assets_ids")) {
    return out.push_back("INVALID OPERATION");
  }
  const auto& o = v.get_object();
  const auto* ids = o.if_contains("assets_ids");
  if (!ids->is_array()) return out.push_back("INVALID OPERATION");
  const auto* op = o.if_contains("operation");
  const bool unsubscribe = op && op->is_string() && op->get_string() == "unsubscribe";
  for (const auto& e : ids->get_array()) {
    if (!e.is_string()) continue;
    if (unsubscribe) {
      assets_.erase(std::string(e.get_string()));
    } else if (assets_.insert(std::string(e.get_string())).second && synthetic_ &&
               synthetic_->steps_taken() > 0) {
      // The stream's initial books are behind us: send this asset's current book, as the venue does.
      std::string book = synthetic_->polymarket_book_frame(e.get_string());
      if (!book.empty()) out.push_back(std::move(book));
    }
  }
  if (!unsubscribe) replaying_ = true;
}

VenueProtocol::KalshiSub* VenueProtocol::kalshi_route(const SimFrame& frame) {
  const std::string channel = channel_of(frame.type);
  for (auto& s : subs_) {
    if (s.channel != channel) continue;
    if (!s.tickers.empty() && !s.tickers.contains(frame.market_ticker)) continue;
    return &s;
  }
  return nullptr;
}

bool VenueProtocol::polymarket_wants(const SimFrame& frame) const {
  if (assets_.empty()) return true;
  for (const auto& a : frame.asset_ids) {
    if (assets_.contains(a)) return true;
  }
  return false;
}

void VenueProtocol::apply_to_book(const SimFrame& frame) {
  if (frame.type != "orderbook_snapshot" && frame.type != "orderbook_delta") return;
  boost::system::error_code ec;
  json::value v = json::parse(frame.text, ec);
  if (ec || !v.is_object()) return;
  const auto* msg = v.get_object().if_contains("msg");
  if (!msg || !msg->is_object()) return;
  const auto& m = msg->get_object();
  Book& book = books_[frame.market_ticker];
  if (const auto* id = m.if_contains("market_id"); id && id->is_string()) book.market_id = id->get_string();
  if (frame.type == "orderbook_snapshot") {
    book.yes.clear();
    book.no.clear();
    for (auto [key, side] : {std::pair{"yes_dollars_fp", &book.yes}, std::pair{"no_dollars_fp", &book.no}}) {
      const auto* levels = m.if_contains(key);
      if (!levels || !levels->is_array()) continue;
      for (const auto& l : levels->get_array()) {
        if (!l.is_array() || l.get_array().size() != 2 || !l.get_array()[0].is_string() ||
            !l.get_array()[1].is_string()) {
          continue;
        }
        int64_t price = 0;
        int64_t count = 0;
        if (parse_fixed(l.get_array()[0].get_string(), 4, price) &&
            parse_fixed(l.get_array()[1].get_string(), 2, count)) {
          (*side)[price] = count;
        }
      }
    }
    return;
  }
  const auto* price = m.if_contains("price_dollars");
  const auto* delta = m.if_contains("delta_fp");
  const auto* side = m.if_contains("side");
  if (!price || !delta || !side || !price->is_string() || !delta->is_string() || !side->is_string()) return;
  int64_t p = 0;
  int64_t d = 0;
  if (!parse_fixed(price->get_string(), 4, p) || !parse_fixed(delta->get_string(), 2, d)) return;
  auto& levels = side->get_string() == "no" ? book.no : book.yes;
  const int64_t now = levels[p] + d;
  if (now <= 0) {
    levels.erase(p);
  } else {
    levels[p] = now;
  }
}

std::string VenueProtocol::snapshot_frame(const std::string& ticker, KalshiSub& sub) const {
  const Book& book = books_.at(ticker);
  json::object msg{{"market_ticker", ticker}, {"market_id", book.market_id}};
  for (auto [key, side] : {std::pair{"yes_dollars_fp", &book.yes}, std::pair{"no_dollars_fp", &book.no}}) {
    if (side->empty()) continue;  // Kalshi omits an empty side
    json::array levels;
    for (const auto& [p, c] : *side)
      levels.push_back(json::array{format_fixed(p, 4), format_fixed(c, 2)});
    msg[key] = std::move(levels);
  }
  return json::serialize(json::object{
      {"type", "orderbook_snapshot"}, {"sid", sub.sid}, {"seq", ++sub.seq}, {"msg", std::move(msg)}});
}

const SimFrame* VenueProtocol::pull() {
  if (!synthetic_) return cursor_ < source_.frames.size() ? &source_.frames[cursor_++] : nullptr;
  while (pending_cursor_ >= pending_.size()) {
    pending_.clear();
    pending_cursor_ = 0;
    synthetic_->step(pending_);
  }
  return &pending_[pending_cursor_++];
}

std::optional<ReplayStep> VenueProtocol::next_step() {
  size_t scanned = 0;
  while (const SimFrame* next = pull()) {
    const SimFrame& frame = *next;
    if (synthetic_ && ++scanned > kMaxScan) {
      ReplayStep idle;  // nothing for this connection yet: keep the virtual clock's pace
      if (pace_ == Pace::recorded && last_ts_ns_ >= 0 && frame.ts_ns > last_ts_ns_)
        idle.wait = std::chrono::nanoseconds(frame.ts_ns - last_ts_ns_);
      if (pace_ == Pace::recorded) last_ts_ns_ = std::max(last_ts_ns_, frame.ts_ns);
      --pending_cursor_;  // `frame` is looked at again next time
      return idle;
    }
    if (frame.venue != venue_) continue;
    std::string text = frame.text;
    KalshiSub* sub = nullptr;
    if (venue_ == Venue::kalshi) {
      apply_to_book(frame);
      sub = kalshi_route(frame);
      if (!sub) continue;
      if (frame.has_sid) rewrite_top_level_int(text, "sid", sub->sid);
      if (frame.has_seq) rewrite_top_level_int(text, "seq", ++sub->seq);
    } else if (!polymarket_wants(frame)) {
      continue;
    }
    const uint64_t n = ++data_frames_;
    ReplayStep step;
    step.wait = faults_.delay;
    if (pace_ == Pace::recorded && frame.ts_ns > 0) {
      if (last_ts_ns_ >= 0 && frame.ts_ns > last_ts_ns_)
        step.wait += std::chrono::nanoseconds(frame.ts_ns - last_ts_ns_);
      last_ts_ns_ = frame.ts_ns;
    }
    if (faults_.drop_every != 0 && n % faults_.drop_every == 0) {
      // dropped: nothing sent
    } else if (faults_.malformed_every != 0 && n % faults_.malformed_every == 0) {
      step.frames.push_back(text.substr(0, text.size() / 2));
    } else {
      step.frames.push_back(text);
      if (faults_.duplicate_every != 0 && n % faults_.duplicate_every == 0)
        step.frames.push_back(std::move(text));
    }
    if (venue_ == Venue::kalshi && faults_.error_code != 0 && n == faults_.error_after) {
      step.frames.push_back(kalshi_error(0, faults_.error_code, kalshi_error_text(faults_.error_code)));
      if (kalshi_error_is_terminal(faults_.error_code)) {
        const int64_t sid = sub->sid;
        std::erase_if(subs_, [&](const KalshiSub& s) { return s.sid == sid; });
      }
    }
    step.disconnect = faults_.disconnect_after != 0 && n >= faults_.disconnect_after;
    return step;
  }
  return std::nullopt;
}

int64_t VenueProtocol::subscription_sid(std::string_view channel, std::string_view ticker) const {
  for (const auto& sub : subs_) {
    if (sub.channel != channel) continue;
    if (sub.tickers.empty() || sub.tickers.contains(std::string(ticker))) return sub.sid;
  }
  return 0;
}

}  // namespace pmx::sim
