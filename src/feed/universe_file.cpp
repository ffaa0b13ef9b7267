#include "pmx/feed/universe_file.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>

#include <simdjson.h>
#include <unistd.h>

#include "pmx/core/json_string.h"

namespace pmx {
namespace {

constexpr std::string_view kFormat = "pmx-universe";
constexpr int64_t kVersion = 1;

constexpr std::array<std::string_view, 6> kStrikeTypeNames = {"none", "greater",       "greater_or_equal",
                                                              "less", "less_or_equal", "between"};
constexpr std::array<MarketStatus, 7> kStatuses = {
    MarketStatus::unknown, MarketStatus::initialized, MarketStatus::open,   MarketStatus::paused,
    MarketStatus::closed,  MarketStatus::determined,  MarketStatus::settled};

void append_int(std::string& out, int64_t v) {
  out += std::to_string(v);
}

// Shortest text that reads back to the same double; non-finite values as strings.
void append_double(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "\"nan\"";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "\"inf\"" : "\"-inf\"";
    return;
  }
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, ec == std::errc{} ? end : buf);
}

void append_bool(std::string& out, bool v) {
  out += v ? "true" : "false";
}

void key(std::string& out, std::string_view name) {
  out += '"';
  out += name;
  out += "\":";
}

void append_market(std::string& out, const MarketInfo& m) {
  out += '{';
  key(out, "id");
  append_int(out, m.id.value);
  out += ',';
  key(out, "venue");
  append_json_string(out, to_string(m.venue));
  out += ',';
  key(out, "status");
  append_json_string(out, to_string(m.status));
  const std::pair<std::string_view, const std::string*> texts[] = {{"key", &m.key},
                                                                   {"event_key", &m.event_key},
                                                                   {"series_key", &m.series_key},
                                                                   {"market_key", &m.market_key},
                                                                   {"title", &m.title},
                                                                   {"category", &m.category},
                                                                   {"outcome_name", &m.outcome_name}};
  for (const auto& [name, text] : texts) {
    out += ',';
    key(out, name);
    append_json_string(out, *text);
  }
  out += ',';
  key(out, "complement");
  append_int(out, m.complement.valid() ? static_cast<int64_t>(m.complement.value) : -1);
  out += ',';
  key(out, "tick_ticks");
  append_int(out, m.tick.ticks);
  out += ',';
  key(out, "tick_bands");
  out += '[';
  for (size_t i = 0; i < m.tick_bands.size(); ++i) {
    if (i > 0) out += ',';
    const TickBand& b = m.tick_bands[i];
    out += '[';
    append_int(out, b.start.ticks);
    out += ',';
    append_int(out, b.end.ticks);
    out += ',';
    append_int(out, b.step.ticks);
    out += ']';
  }
  out += "],";
  key(out, "close_time_ns");
  append_int(out, m.close_time.ns);
  out += ',';
  key(out, "strike_type");
  append_json_string(out, kStrikeTypeNames[static_cast<size_t>(m.strike_type)]);
  out += ',';
  key(out, "floor_strike");
  append_double(out, m.floor_strike);
  out += ',';
  key(out, "cap_strike");
  append_double(out, m.cap_strike);
  out += ',';
  key(out, "mutually_exclusive");
  append_bool(out, m.mutually_exclusive);
  out += ',';
  key(out, "fees");
  out += '{';
  key(out, "kalshi_multiplier");
  append_double(out, m.fees.kalshi_multiplier);
  out += ',';
  key(out, "kalshi_maker_fees");
  append_bool(out, m.fees.kalshi_maker_fees);
  out += ',';
  key(out, "polymarket_rate");
  append_double(out, m.fees.polymarket_rate);
  out += ',';
  key(out, "polymarket_exponent");
  append_double(out, m.fees.polymarket_exponent);
  out += "}}";
}

void append_event(std::string& out, const EventInfo& e) {
  out += '{';
  key(out, "venue");
  append_json_string(out, to_string(e.venue));
  out += ',';
  key(out, "key");
  append_json_string(out, e.key);
  out += ',';
  key(out, "title");
  append_json_string(out, e.title);
  out += ',';
  key(out, "mutually_exclusive");
  append_bool(out, e.mutually_exclusive);
  out += ',';
  key(out, "members");
  out += '[';
  for (size_t i = 0; i < e.members.size(); ++i) {
    if (i > 0) out += ',';
    append_int(out, e.members[i].value);
  }
  out += "]}";
}

// ---- reading ----

struct Reader {
  std::string_view origin;

  [[noreturn]] void fail(const std::string& what) const {
    throw UniverseFileError(std::string(origin) + ": " + what);
  }
  simdjson::dom::element field(simdjson::dom::object object, std::string_view name,
                               std::string_view where) const {
    simdjson::dom::element value;
    if (object[name].get(value)) fail(std::string(where) + ": missing \"" + std::string(name) + "\"");
    return value;
  }
  std::string text(simdjson::dom::object o, std::string_view name, std::string_view where) const {
    std::string_view v;
    if (field(o, name, where).get_string().get(v))
      fail(std::string(where) + "." + std::string(name) + ": not a string");
    return std::string(v);
  }
  int64_t integer(simdjson::dom::element e, std::string_view where) const {
    int64_t v = 0;
    if (e.get_int64().get(v)) fail(std::string(where) + ": not an integer");
    return v;
  }
  int64_t integer(simdjson::dom::object o, std::string_view name, std::string_view where) const {
    return integer(field(o, name, where), std::string(where) + "." + std::string(name));
  }
  bool boolean(simdjson::dom::object o, std::string_view name, std::string_view where) const {
    bool v = false;
    if (field(o, name, where).get_bool().get(v))
      fail(std::string(where) + "." + std::string(name) + ": not a boolean");
    return v;
  }
  double number(simdjson::dom::object o, std::string_view name, std::string_view where) const {
    const simdjson::dom::element e = field(o, name, where);
    std::string_view special;
    if (!e.get_string().get(special)) {
      if (special == "nan") return std::nan("");
      if (special == "inf") return HUGE_VAL;
      if (special == "-inf") return -HUGE_VAL;
    }
    double v = 0;
    if (e.get_double().get(v)) fail(std::string(where) + "." + std::string(name) + ": not a number");
    return v;
  }
  Venue venue(simdjson::dom::object o, std::string_view where) const {
    const std::string v = text(o, "venue", where);
    if (v == "kalshi") return Venue::kalshi;
    if (v == "polymarket") return Venue::polymarket;
    fail(std::string(where) + ".venue: \"" + v + "\" is not kalshi or polymarket");
  }
  Price price(simdjson::dom::element e, std::string_view where) const {
    const int64_t v = integer(e, where);
    if (v < INT32_MIN || v > INT32_MAX) fail(std::string(where) + ": out of range");
    return Price::from_ticks(static_cast<int32_t>(v));
  }
  InstrumentId id(int64_t v, size_t instruments, std::string_view where) const {
    if (v < 0 || static_cast<uint64_t>(v) >= instruments)
      fail(std::string(where) + ": no instrument " + std::to_string(v));
    return InstrumentId{static_cast<uint32_t>(v)};
  }
};

MarketInfo read_market(const Reader& r, simdjson::dom::object o, size_t instruments,
                       const std::string& where) {
  MarketInfo m;
  m.id = r.id(r.integer(o, "id", where), instruments, where + ".id");
  m.venue = r.venue(o, where);
  const std::string status = r.text(o, "status", where);
  bool known = false;
  for (const MarketStatus s : kStatuses) {
    if (to_string(s) == status) {
      m.status = s;
      known = true;
    }
  }
  if (!known) r.fail(where + ".status: unknown \"" + status + "\"");
  m.key = r.text(o, "key", where);
  m.event_key = r.text(o, "event_key", where);
  m.series_key = r.text(o, "series_key", where);
  m.market_key = r.text(o, "market_key", where);
  m.title = r.text(o, "title", where);
  m.category = r.text(o, "category", where);
  m.outcome_name = r.text(o, "outcome_name", where);
  const int64_t complement = r.integer(o, "complement", where);
  if (complement >= 0) m.complement = r.id(complement, instruments, where + ".complement");
  m.tick = r.price(r.field(o, "tick_ticks", where), where + ".tick_ticks");
  simdjson::dom::array bands;
  if (r.field(o, "tick_bands", where).get_array().get(bands)) r.fail(where + ".tick_bands: not an array");
  for (simdjson::dom::element band : bands) {
    simdjson::dom::array triple;
    if (band.get_array().get(triple) || triple.size() != 3)
      r.fail(where + ".tick_bands: each band is [start,end,step]");
    TickBand b;
    b.start = r.price(triple.at(0).value_unsafe(), where + ".tick_bands");
    b.end = r.price(triple.at(1).value_unsafe(), where + ".tick_bands");
    b.step = r.price(triple.at(2).value_unsafe(), where + ".tick_bands");
    m.tick_bands.push_back(b);
  }
  m.close_time = WallNanos{r.integer(o, "close_time_ns", where)};
  const std::string strike = r.text(o, "strike_type", where);
  known = false;
  for (size_t i = 0; i < kStrikeTypeNames.size(); ++i) {
    if (kStrikeTypeNames[i] == strike) {
      m.strike_type = static_cast<StrikeType>(i);
      known = true;
    }
  }
  if (!known) r.fail(where + ".strike_type: unknown \"" + strike + "\"");
  m.floor_strike = r.number(o, "floor_strike", where);
  m.cap_strike = r.number(o, "cap_strike", where);
  m.mutually_exclusive = r.boolean(o, "mutually_exclusive", where);
  simdjson::dom::object fees;
  if (r.field(o, "fees", where).get_object().get(fees)) r.fail(where + ".fees: not an object");
  const std::string fw = where + ".fees";
  m.fees.kalshi_multiplier = r.number(fees, "kalshi_multiplier", fw);
  m.fees.kalshi_maker_fees = r.boolean(fees, "kalshi_maker_fees", fw);
  m.fees.polymarket_rate = r.number(fees, "polymarket_rate", fw);
  m.fees.polymarket_exponent = r.number(fees, "polymarket_exponent", fw);
  return m;
}

}  // namespace

std::string universe_to_json(const MarketUniverse& universe) {
  std::string out;
  out += "{\"format\":\"pmx-universe\",\"version\":1,\n\"instruments\":[";
  const InstrumentTable& table = universe.instruments();
  for (uint32_t i = 0; i < table.size(); ++i) {
    out += i == 0 ? "\n[" : ",\n[";
    append_json_string(out, to_string(table.venue(InstrumentId{i})));
    out += ',';
    append_json_string(out, table.key(InstrumentId{i}));
    out += ']';
  }
  out += "],\n\"markets\":[";
  bool first = true;
  for (const MarketInfo& m : universe.markets()) {
    if (!m.id.valid()) continue;
    out += first ? "\n" : ",\n";
    first = false;
    append_market(out, m);
  }
  out += "],\n\"events\":[";
  for (size_t i = 0; i < universe.events().size(); ++i) {
    out += i == 0 ? "\n" : ",\n";
    append_event(out, universe.events()[i]);
  }
  out += "]}\n";
  return out;
}

MarketUniverse universe_from_json(std::string_view json, std::string_view origin) {
  const Reader r{origin};
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (const auto error = parser.parse(json.data(), json.size()).get(doc))
    r.fail(std::string("not JSON: ") + simdjson::error_message(error));
  simdjson::dom::object root;
  if (doc.get_object().get(root)) r.fail("not a JSON object");
  if (r.text(root, "format", "file") != kFormat) r.fail("format is not \"pmx-universe\"");
  if (const int64_t version = r.integer(root, "version", "file"); version != kVersion)
    r.fail("version " + std::to_string(version) + " is not supported (this build reads 1)");

  MarketUniverse universe;
  simdjson::dom::array instruments;
  if (r.field(root, "instruments", "file").get_array().get(instruments)) r.fail("instruments: not an array");
  size_t index = 0;
  for (simdjson::dom::element entry : instruments) {
    const std::string where = "instruments[" + std::to_string(index) + "]";
    simdjson::dom::array pair;
    std::string_view venue_text, key_text;
    if (entry.get_array().get(pair) || pair.size() != 2 || pair.at(0).get_string().get(venue_text) ||
        pair.at(1).get_string().get(key_text))
      r.fail(where + ": not [venue, key]");
    Venue venue = Venue::kalshi;
    if (venue_text == "polymarket") {
      venue = Venue::polymarket;
    } else if (venue_text != "kalshi") {
      r.fail(where + ": unknown venue \"" + std::string(venue_text) + "\"");
    }
    const InstrumentId id = universe.instruments().add(venue, key_text);
    if (!id.valid() || id.value != index)
      r.fail(where + ": \"" + std::string(key_text) + "\" is refused or repeated by the instrument table");
    ++index;
  }

  simdjson::dom::array markets;
  if (r.field(root, "markets", "file").get_array().get(markets)) r.fail("markets: not an array");
  index = 0;
  for (simdjson::dom::element entry : markets) {
    const std::string where = "markets[" + std::to_string(index++) + "]";
    simdjson::dom::object o;
    if (entry.get_object().get(o)) r.fail(where + ": not an object");
    MarketInfo m = read_market(r, o, universe.instruments().size(), where);
    const InstrumentId expected = m.id;
    if (universe.instruments().find(m.venue, m.key) != expected)
      r.fail(where + ": id " + std::to_string(expected.value) + " is not the instrument table's id of " +
             m.key);
    universe.add_market(std::move(m));
  }

  simdjson::dom::array events;
  if (r.field(root, "events", "file").get_array().get(events)) r.fail("events: not an array");
  index = 0;
  for (simdjson::dom::element entry : events) {
    const std::string where = "events[" + std::to_string(index++) + "]";
    simdjson::dom::object o;
    if (entry.get_object().get(o)) r.fail(where + ": not an object");
    EventInfo e;
    e.venue = r.venue(o, where);
    e.key = r.text(o, "key", where);
    e.title = r.text(o, "title", where);
    e.mutually_exclusive = r.boolean(o, "mutually_exclusive", where);
    simdjson::dom::array members;
    if (r.field(o, "members", where).get_array().get(members)) r.fail(where + ".members: not an array");
    for (simdjson::dom::element member : members)
      e.members.push_back(
          r.id(r.integer(member, where + ".members"), universe.instruments().size(), where + ".members"));
    universe.add_event(std::move(e));
  }
  return universe;
}

MarketUniverse copy_universe(const MarketUniverse& universe) {
  MarketUniverse copy;
  const InstrumentTable& table = universe.instruments();
  copy.instruments().reserve(table.size());
  for (uint32_t i = 0; i < table.size(); ++i)
    copy.instruments().add(table.venue(InstrumentId{i}), table.key(InstrumentId{i}));
  for (const MarketInfo& m : universe.markets())
    if (m.id.valid()) copy.add_market(m);
  for (const EventInfo& e : universe.events())
    copy.add_event(e);
  return copy;
}

void save_universe(const MarketUniverse& universe, const std::filesystem::path& path) {
  const std::string text = universe_to_json(universe);
  std::filesystem::path temporary = path;
  temporary += ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) throw UniverseFileError(temporary.string() + ": cannot write the universe file");
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    throw UniverseFileError(path.string() + ": cannot rename the universe file into place");
  }
}

MarketUniverse load_universe(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UniverseFileError(path.string() + ": cannot open the universe file");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return universe_from_json(text, path.string());
}

}  // namespace pmx
