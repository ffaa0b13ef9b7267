#include "pmx/feed/bootstrap/polymarket_markets.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "pmx/feed/bootstrap/iso_time.h"

#include "json_reader.h"

namespace pmx {

using namespace bootstrap_detail;

namespace {

enum class Source : uint8_t { clob, gamma };

// Gamma sends some lists as a JSON array inside a string: "[\"Yes\", \"No\"]". Reads exactly two
// strings with a parser of its own (the page's parser is mid-document).
bool parse_string_pair(od::parser& inner, std::string_view text, std::array<std::string, 2>& out,
                       std::string& why) {
  const simdjson::padded_string padded(text);
  od::document doc;
  od::array arr;
  if (inner.iterate(padded).get(doc) || doc.get_array().get(arr)) {
    why = "not a JSON array in a string";
    return false;
  }
  size_t n = 0;
  for (auto element : arr) {
    std::string_view s;
    if (element.get_string().get(s)) {
      why = "not a JSON array of strings";
      return false;
    }
    if (n < 2) out[n] = std::string(s);
    ++n;
  }
  if (!at_end(doc)) {
    why = "trailing content after the array";
    return false;
  }
  if (n != 2) {
    why = "expected 2 entries, got " + std::to_string(n);
    return false;
  }
  return true;
}

// One market object being read, CLOB or Gamma spelling; finish() validates and files it.
struct MarketDraft {
  Source source;
  PolymarketMarket m;
  RecordProblem problem;
  bool has_condition = false, has_tokens = false, has_outcomes = false;
  bool active = true, closed = false, accepting_orders = true, order_book = true;
  bool fees_enabled = false, has_schedule = false;

  // Reads one field; false when the document is broken.
  bool field(std::string_view key, od::value& v, od::parser& inner) {
    const bool clob = source == Source::clob;
    std::string* text = nullptr;
    if (key == (clob ? "condition_id" : "conditionId")) {
      text = &m.condition_id;
      has_condition = true;
    } else if (key == "question") {
      text = &m.question;
    } else if (key == (clob ? "market_slug" : "slug")) {
      text = &m.slug;
    } else if (!clob && key == "groupItemTitle") {
      text = &m.group_item_title;
    }
    if (text != nullptr) {
      std::string_view s;
      const Read r = read_string(v, s);
      if (r == Read::ok) *text = std::string(s);
      if (r == Read::null && text == &m.condition_id) has_condition = false;
      return problem.note(r, key, "a string");
    }
    if (key == (clob ? "end_date_iso" : "endDate")) {
      std::string_view s;
      const Read r = read_string(v, s);
      if (r == Read::ok && !s.empty()) {
        if (auto t = parse_iso8601(s)) {
          m.close_time = *t;
        } else {
          problem.set(BootstrapError::bad_time,
                      std::string(key) + " \"" + std::string(s) + "\": not an ISO 8601 time");
        }
      }
      return problem.note(r, key, "a string");
    }
    if (key == (clob ? "minimum_tick_size" : "orderPriceMinTickSize")) {
      std::string_view s;
      const Read r = read_decimal_text(v, s);
      if (r == Read::ok) {
        std::string why;
        if (!parse_tick(s, m.tick, why)) problem.set(BootstrapError::bad_price, std::string(key) + " " + why);
      }
      return problem.note(r, key, "a decimal");
    }
    bool* flag = key == (clob ? "neg_risk" : "negRisk")                    ? &m.neg_risk
                 : key == "active"                                         ? &active
                 : key == "closed"                                         ? &closed
                 : key == (clob ? "accepting_orders" : "acceptingOrders")  ? &accepting_orders
                 : key == (clob ? "enable_order_book" : "enableOrderBook") ? &order_book
                 : !clob && key == "feesEnabled"                           ? &fees_enabled
                                                                           : nullptr;
    if (flag != nullptr) return problem.note(read_bool(v, *flag), key, "true or false");
    if (clob && key == "tokens") return tokens(v);
    if (!clob && (key == "clobTokenIds" || key == "outcomes")) {
      std::string_view s;
      const Read r = read_string(v, s);
      if (r == Read::ok) {
        auto& target = key == "outcomes" ? m.outcomes : m.token_ids;
        std::string why;
        if (!parse_string_pair(inner, s, target, why)) {
          problem.set(BootstrapError::bad_value, std::string(key) + ": " + why);
        } else {
          (key == "outcomes" ? has_outcomes : has_tokens) = true;
        }
      }
      return problem.note(r, key, "a string holding a JSON array");
    }
    if (!clob && key == "feeSchedule") return fee_schedule(v);
    return true;
  }

  bool tokens(od::value& v) {
    Read r;
    if (!is_type(v, od::json_type::array, r)) return problem.note(r, "tokens", "an array");
    size_t count = 0;
    const bool intact = walk_array(v, [&](od::value& item, size_t i) {
      ++count;
      Read ro;
      if (!is_type(item, od::json_type::object, ro)) {
        if (ro == Read::fatal) return false;
        problem.set(BootstrapError::wrong_type, "tokens[" + std::to_string(i) + "]: expected an object");
        return true;
      }
      bool has_id = false;
      const bool ok = walk_object(item, [&](std::string_view key, od::value& val) {
        if (key != "token_id" && key != "outcome") return true;
        std::string_view s;
        const Read rs = read_string(val, s);
        if (rs == Read::ok && i < 2) (key == "token_id" ? m.token_ids[i] : m.outcomes[i]) = std::string(s);
        has_id = has_id || (key == "token_id" && rs == Read::ok);
        return problem.note(rs, "tokens[" + std::to_string(i) + "]." + std::string(key), "a string");
      });
      if (ok) problem.require(has_id, "tokens[" + std::to_string(i) + "].token_id");
      return ok;
    });
    if (!intact) return false;
    if (count != 2) {
      problem.set(BootstrapError::bad_value,
                  "tokens: expected 2 outcome tokens, got " + std::to_string(count));
    }
    has_tokens = true;
    has_outcomes = true;
    return true;
  }

  bool fee_schedule(od::value& v) {
    Read r;
    if (!is_type(v, od::json_type::object, r)) return problem.note(r, "feeSchedule", "an object");
    has_schedule = true;
    return walk_object(v, [&](std::string_view key, od::value& val) {
      if (key == "rate")
        return problem.note(read_double(val, m.fees.polymarket_rate), "feeSchedule.rate", "a number");
      if (key == "exponent") {
        return problem.note(read_double(val, m.fees.polymarket_exponent), "feeSchedule.exponent", "a number");
      }
      return true;
    });
  }

  // Validates; moves the market into `out` or files the problem in `rejected`.
  void finish(size_t index, std::vector<PolymarketMarket>& out, std::vector<RejectedRecord>& rejected) {
    const bool clob = source == Source::clob;
    problem.require(has_condition && !m.condition_id.empty(), clob ? "condition_id" : "conditionId");
    problem.require(has_tokens, clob ? "tokens" : "clobTokenIds");
    if (clob) problem.require(m.tick.ticks > 0, "minimum_tick_size");
    if (has_tokens && !problem.any()) {
      for (const auto& id : m.token_ids) {
        if (!InstrumentTable::plausible_key(Venue::polymarket, id)) {
          problem.set(BootstrapError::bad_key,
                      "token id \"" + id.substr(0, 80) + "\": not a Polymarket token id");
        }
      }
      if (m.token_ids[0] == m.token_ids[1])
        problem.set(BootstrapError::bad_value, "both tokens have the same id");
    }
    const std::string key = m.condition_id.empty() ? "#" + std::to_string(index) : m.condition_id;
    if (problem.any()) {
      rejected.push_back({problem.error, key, key + ": " + problem.message});
      return;
    }
    if (!has_outcomes) m.outcomes = {"Yes", "No"};
    if (closed) {
      m.status = MarketStatus::closed;
    } else if (!active) {
      m.status = MarketStatus::initialized;
    } else {
      m.status = accepting_orders && order_book ? MarketStatus::open : MarketStatus::paused;
    }
    m.has_fees = fees_enabled && has_schedule;
    if (!m.has_fees) m.fees = FeeParams{};
    out.push_back(std::move(m));
  }
};

// Reads one market object into `out` / `rejected`; false when the document is broken.
bool parse_market(Source source, od::value& v, size_t index, od::parser& inner,
                  std::vector<PolymarketMarket>& out, std::vector<RejectedRecord>& rejected) {
  Read r;
  if (!is_type(v, od::json_type::object, r)) {
    if (r == Read::fatal) return false;
    rejected.push_back(
        {BootstrapError::wrong_type, "#" + std::to_string(index), "market: expected an object"});
    return true;
  }
  MarketDraft draft{source, {}, {}};
  if (!walk_object(v, [&](std::string_view key, od::value& val) { return draft.field(key, val, inner); })) {
    return false;
  }
  draft.finish(index, out, rejected);
  return true;
}

// One Gamma event being read (an array element, or the whole reply of GET /events/{id}).
struct EventDraft {
  GammaEvent e;
  RecordProblem problem;
  bool has_neg_risk = false;
  std::vector<RejectedRecord> market_rejects;

  bool field(std::string_view key, od::value& v, od::parser& inner) {
    if (key == "id") {
      std::string_view s;
      const Read r = read_decimal_text(v, s);  // Gamma sends "30829"; accept 30829 too
      if (r == Read::ok) e.id = std::string(s);
      return problem.note(r, key, "a string");
    }
    if (key == "slug" || key == "title") {
      std::string_view s;
      const Read r = read_string(v, s);
      if (r == Read::ok) (key == "slug" ? e.slug : e.title) = std::string(s);
      return problem.note(r, key, "a string");
    }
    if (key == "negRisk") {
      const Read r = read_bool(v, e.neg_risk);
      has_neg_risk = r == Read::ok;
      return problem.note(r, key, "true or false");
    }
    if (key == "markets") {
      Read r;
      if (!is_type(v, od::json_type::array, r)) return problem.note(r, key, "an array");
      return walk_array(v, [&](od::value& item, size_t i) {
        return parse_market(Source::gamma, item, i, inner, e.markets, market_rejects);
      });
    }
    return true;
  }

  void finish(size_t index, GammaEventsPage& page) {
    problem.require(!e.id.empty() || !e.slug.empty(), "id/slug");
    const std::string key = !e.slug.empty() ? e.slug : !e.id.empty() ? e.id : "#" + std::to_string(index);
    for (auto& r : market_rejects)
      page.rejected.push_back(std::move(r));
    if (problem.any()) {
      page.rejected.push_back({problem.error, key, "event " + key + ": " + problem.message});
      for (const auto& m : e.markets) {
        page.rejected.push_back({BootstrapError::bad_value, m.condition_id,
                                 m.condition_id + ": its event " + key + " was refused"});
      }
      return;
    }
    if (!has_neg_risk) {
      for (const auto& m : e.markets)
        e.neg_risk = e.neg_risk || m.neg_risk;
    }
    page.events.push_back(std::move(e));
  }
};

}  // namespace

ClobMarketsPage parse_clob_markets_page(std::string_view json) {
  ClobMarketsPage page;
  od::parser inner;  // parse_market's parser for JSON inside a string (Gamma's lists only)
  page.error = parse_listing(json, "data", "next_cursor", page.next_cursor, page.message,
                             [&](od::value& item, size_t i) {
                               return parse_market(Source::clob, item, i, inner, page.markets, page.rejected);
                             });
  if (page.error != BootstrapError::ok) {
    page.markets.clear();
    page.next_cursor.clear();
  }
  return page;
}

GammaEventsPage parse_gamma_events_page(std::string_view json) {
  GammaEventsPage page;
  const simdjson::padded_string padded(json);
  od::parser parser, inner;
  EventDraft single;  // when the reply is one event object
  bool is_single = false;
  page.error = walk_page(
      parser, padded, page.message, /*array_allowed=*/true,
      [&](std::string_view key, od::value& v) {
        is_single = true;
        return single.field(key, v, inner);
      },
      [&](od::value& item, size_t i) {
        ++page.records;
        Read r;
        if (!is_type(item, od::json_type::object, r)) {
          if (r == Read::fatal) return false;
          page.rejected.push_back(
              {BootstrapError::wrong_type, "#" + std::to_string(i), "event: expected an object"});
          return true;
        }
        EventDraft draft;
        if (!walk_object(
                item, [&](std::string_view key, od::value& val) { return draft.field(key, val, inner); })) {
          return false;
        }
        draft.finish(i, page);
        return true;
      });
  if (page.error == BootstrapError::ok && is_single) {
    page.records = 1;
    single.finish(0, page);
  }
  if (page.error != BootstrapError::ok) {
    page.events.clear();
    page.rejected.clear();
  }
  return page;
}

size_t add_polymarket_catalog(MarketUniverse& universe, const PolymarketCatalog& catalog,
                              std::vector<RejectedRecord>& rejected) {
  struct GammaRef {
    const GammaEvent* event;
    const PolymarketMarket* market;
  };
  auto event_key = [](const GammaEvent& e) -> const std::string& { return e.slug.empty() ? e.id : e.slug; };
  std::unordered_map<std::string_view, GammaRef> gamma_of;
  for (const auto& e : catalog.events) {
    for (const auto& m : e.markets)
      gamma_of.emplace(m.condition_id, GammaRef{&e, &m});
  }
  std::unordered_map<std::string, std::vector<InstrumentId>> members;
  std::unordered_set<std::string_view> added_conditions;
  size_t added = 0;

  auto add_pair = [&](const PolymarketMarket& base, const GammaRef* gamma) {
    InstrumentId ids[2];
    for (size_t i = 0; i < 2; ++i) {
      MarketInfo info;
      info.venue = Venue::polymarket;
      info.status = base.status;
      info.key = base.token_ids[i];
      info.market_key = base.condition_id;
      info.title = base.question;
      info.outcome_name = base.outcomes[i];
      info.tick = base.tick;
      info.close_time = base.close_time;
      info.mutually_exclusive = base.neg_risk;
      if (base.has_fees) info.fees = base.fees;
      if (gamma != nullptr) {
        info.event_key = event_key(*gamma->event);
        info.mutually_exclusive = info.mutually_exclusive || gamma->event->neg_risk;
        if (gamma->market->has_fees) info.fees = gamma->market->fees;
      }
      const bool known = universe.find(Venue::polymarket, info.key).valid();
      ids[i] = universe.add_market(std::move(info));
      if (ids[i].valid() && !known) ++added;
    }
    if (!ids[0].valid() || !ids[1].valid()) return;
    universe.mutable_market(ids[0])->complement = ids[1];
    universe.mutable_market(ids[1])->complement = ids[0];
    if (gamma != nullptr) {
      auto& list = members[event_key(*gamma->event)];
      if (std::find(list.begin(), list.end(), ids[0]) == list.end()) list.push_back(ids[0]);
    }
  };

  for (const auto& m : catalog.markets) {
    const auto it = gamma_of.find(m.condition_id);
    add_pair(m, it == gamma_of.end() ? nullptr : &it->second);
    added_conditions.insert(m.condition_id);
  }
  for (const auto& e : catalog.events) {
    for (const auto& m : e.markets) {
      if (added_conditions.contains(m.condition_id)) continue;
      if (m.tick.ticks <= 0) {
        rejected.push_back(
            {BootstrapError::missing_field, m.condition_id,
             m.condition_id + ": orderPriceMinTickSize: missing, and the CLOB listing lacks the market"});
        continue;
      }
      const GammaRef ref{&e, &m};
      add_pair(m, &ref);
      added_conditions.insert(m.condition_id);
    }
  }
  for (const auto& e : catalog.events) {
    EventInfo info;
    info.venue = Venue::polymarket;
    info.key = event_key(e);
    info.title = e.title;
    info.mutually_exclusive = e.neg_risk;
    if (auto it = members.find(info.key); it != members.end()) info.members = it->second;
    universe.add_event(std::move(info));
  }
  return added;
}

}  // namespace pmx
