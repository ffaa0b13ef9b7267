// bench_parse: one real frame per message type, parsed into the same MarketEvents by three
// implementations, checked equal before anything is timed (STYLE.md §9).
//
//   pmx        KalshiParser / PolymarketParser: simdjson On-Demand, in place, no allocation
//   nlohmann   nlohmann::json::parse into a DOM, then the same extraction
//   rapidjson  rapidjson::GenericDocument::Parse over preallocated pool allocators (no malloc),
//              then the same extraction
//
// nlohmann and RapidJSON convert decimal strings with pmx::parse_price / parse_qty; pmx uses the
// same functions behind a fast path for the common shapes (src/feed/parser_core.h), part of its
// design, and proven identical by the check below and by tests/feed/decimal_fast_path_test.cpp. The messages
// (read at start from shared/data/venues):
//   kalshi_delta        ws_orderbook_2026-09-16_sid1_seq1-12.jsonl line 5
//   kalshi_snapshot     the same file, line 1 (35 + 35 levels)
//   poly_price_change   ws_market_frames_2026-05-24.jsonl line 2 (2 entries)
//   poly_book           ssmd_ws_book_2026-02-12.jsonl line 1 (one full-depth book)
//
// Also BM_instrument_lookup: hash map with heterogeneous lookup vs sorted vector + binary search,
// 500 real Polymarket token ids (the InstrumentTable design choice).
//
// Run: build/<preset>/bench/bench_parse --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>
#include <rapidjson/document.h>

#include "pmx/core/decimal.h"
#include "pmx/feed/instrument_table.h"
#include "pmx/feed/kalshi/kalshi_parser.h"
#include "pmx/feed/market_event.h"
#include "pmx/feed/padded_frame.h"
#include "pmx/feed/polymarket/polymarket_parser.h"

namespace {

using namespace pmx;

std::string venues() {
  return std::string(PMX_SHARED_DATA_DIR) + "/venues/";
}

std::vector<std::string> lines_of(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  for (std::string l; std::getline(in, l);) {
    if (!l.empty()) out.push_back(l);
  }
  if (out.empty()) {
    std::fprintf(stderr, "bench_parse: cannot read %s\n", path.c_str());
    std::exit(2);
  }
  return out;
}

enum class Msg { kalshi_delta, kalshi_snapshot, poly_price_change, poly_book };
constexpr const char* kMsgNames[] = {"kalshi_delta", "kalshi_snapshot", "poly_price_change", "poly_book"};

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "bench_parse: %s\n", what);
  std::exit(3);
}

Price price_or_die(std::string_view s) {
  Price p{};
  if (parse_price(s, p) != DecimalError::ok) die("bad price");
  return p;
}
Qty qty_or_die(std::string_view s) {
  Qty q{};
  if (parse_qty(s, q) != DecimalError::ok) die("bad qty");
  return q;
}
WallNanos ms_string(std::string_view s) {
  return WallNanos{std::stoll(std::string(s)) * 1'000'000};
}

MarketEvent base(EventType t, Venue v, InstrumentId id, MonoNanos recv) {
  MarketEvent e{};
  e.type = t;
  e.venue = v;
  e.instrument = id;
  e.recv_ts = recv;
  return e;
}

constexpr MonoNanos kRecv{42};

// ---- nlohmann ----------------------------------------------------------------------------------

struct NlohmannAdapter {
  const InstrumentTable& table;

  void parse(Msg m, const std::string& frame, std::vector<MarketEvent>& out) const {
    out.clear();
    const nlohmann::json j = nlohmann::json::parse(frame);
    if (m == Msg::kalshi_delta || m == Msg::kalshi_snapshot) {
      const uint64_t seq = j.at("seq").get<uint64_t>();
      const auto& msg = j.at("msg");
      const InstrumentId id =
          table.find(Venue::kalshi, msg.at("market_ticker").get_ref<const std::string&>());
      if (j.at("type").get_ref<const std::string&>() == "orderbook_delta") {
        MarketEvent e = base(EventType::level_delta, Venue::kalshi, id, kRecv);
        e.outcome = msg.at("side").get_ref<const std::string&>() == "yes" ? Outcome::yes : Outcome::no;
        e.price = price_or_die(msg.at("price_dollars").get_ref<const std::string&>());
        e.qty = qty_or_die(msg.at("delta_fp").get_ref<const std::string&>());
        e.venue_ts = WallNanos{msg.at("ts_ms").get<int64_t>() * 1'000'000};
        e.seq = seq;
        out.push_back(e);
        return;
      }
      MarketEvent b = base(EventType::snapshot_begin, Venue::kalshi, id, kRecv);
      b.seq = seq;
      out.push_back(b);
      for (const char* side : {"yes_dollars_fp", "no_dollars_fp"}) {
        if (!msg.contains(side)) continue;
        for (const auto& level : msg[side]) {
          MarketEvent e = base(EventType::snapshot_level, Venue::kalshi, id, kRecv);
          e.outcome = side[0] == 'y' ? Outcome::yes : Outcome::no;
          e.price = price_or_die(level.at(0).get_ref<const std::string&>());
          e.qty = qty_or_die(level.at(1).get_ref<const std::string&>());
          e.seq = seq;
          out.push_back(e);
        }
      }
      out[0].level_count = static_cast<uint32_t>(out.size() - 1);
      MarketEvent end = base(EventType::snapshot_end, Venue::kalshi, id, kRecv);
      end.seq = seq;
      out.push_back(end);
      return;
    }
    const WallNanos ts = ms_string(j.at("timestamp").get_ref<const std::string&>());
    if (m == Msg::poly_price_change) {
      for (const auto& c : j.at("price_changes")) {
        MarketEvent e =
            base(EventType::level_set, Venue::polymarket,
                 table.find(Venue::polymarket, c.at("asset_id").get_ref<const std::string&>()), kRecv);
        e.book_side = c.at("side").get_ref<const std::string&>() == "BUY" ? BookSide::bid : BookSide::ask;
        e.price = price_or_die(c.at("price").get_ref<const std::string&>());
        e.qty = qty_or_die(c.at("size").get_ref<const std::string&>());
        e.best_bid = price_or_die(c.at("best_bid").get_ref<const std::string&>());
        e.best_ask = price_or_die(c.at("best_ask").get_ref<const std::string&>());
        e.venue_ts = ts;
        out.push_back(e);
      }
      return;
    }
    const InstrumentId id = table.find(Venue::polymarket, j.at("asset_id").get_ref<const std::string&>());
    MarketEvent b = base(EventType::snapshot_begin, Venue::polymarket, id, kRecv);
    b.price = price_or_die(j.at("tick_size").get_ref<const std::string&>());
    b.venue_ts = ts;
    out.push_back(b);
    for (const char* side : {"bids", "asks"}) {
      for (const auto& level : j.at(side)) {
        MarketEvent e = base(EventType::snapshot_level, Venue::polymarket, id, kRecv);
        e.book_side = side[0] == 'b' ? BookSide::bid : BookSide::ask;
        e.price = price_or_die(level.at("price").get_ref<const std::string&>());
        e.qty = qty_or_die(level.at("size").get_ref<const std::string&>());
        e.venue_ts = ts;
        out.push_back(e);
      }
    }
    out[0].level_count = static_cast<uint32_t>(out.size() - 1);
    MarketEvent end = base(EventType::snapshot_end, Venue::polymarket, id, kRecv);
    end.venue_ts = ts;
    out.push_back(end);
  }
};

// ---- RapidJSON ---------------------------------------------------------------------------------

struct RapidjsonAdapter {
  // RapidJSON's recommended fast setup: a fresh document per message over stack-like buffers
  // (MemoryPoolAllocator on a preallocated block), so parsing never calls malloc.
  using Doc = rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>,
                                         rapidjson::MemoryPoolAllocator<>>;
  const InstrumentTable& table;
  std::vector<char> value_buf = std::vector<char>(size_t{256} << 10);
  std::vector<char> parse_buf = std::vector<char>(size_t{64} << 10);

  static std::string_view sv(const rapidjson::Value& v) {
    if (!v.IsString()) die("rapidjson: not a string");
    return {v.GetString(), v.GetStringLength()};
  }
  static const rapidjson::Value& at(const rapidjson::Value& o, const char* key) {
    const auto it = o.FindMember(key);
    if (it == o.MemberEnd()) die("rapidjson: missing key");
    return it->value;
  }

  void parse(Msg m, const std::string& frame, std::vector<MarketEvent>& out) {
    out.clear();
    rapidjson::MemoryPoolAllocator<> value_alloc(value_buf.data(), value_buf.size());
    rapidjson::MemoryPoolAllocator<> parse_alloc(parse_buf.data(), parse_buf.size());
    Doc doc(&value_alloc, parse_buf.size(), &parse_alloc);
    doc.Parse(frame.data(), frame.size());
    if (doc.HasParseError()) die("rapidjson parse error");
    if (m == Msg::kalshi_delta || m == Msg::kalshi_snapshot) {
      const uint64_t seq = at(doc, "seq").GetUint64();
      const auto& msg = at(doc, "msg");
      const InstrumentId id = table.find(Venue::kalshi, sv(at(msg, "market_ticker")));
      if (sv(at(doc, "type")) == "orderbook_delta") {
        MarketEvent e = base(EventType::level_delta, Venue::kalshi, id, kRecv);
        e.outcome = sv(at(msg, "side")) == "yes" ? Outcome::yes : Outcome::no;
        e.price = price_or_die(sv(at(msg, "price_dollars")));
        e.qty = qty_or_die(sv(at(msg, "delta_fp")));
        e.venue_ts = WallNanos{at(msg, "ts_ms").GetInt64() * 1'000'000};
        e.seq = seq;
        out.push_back(e);
        return;
      }
      MarketEvent b = base(EventType::snapshot_begin, Venue::kalshi, id, kRecv);
      b.seq = seq;
      out.push_back(b);
      for (const char* side : {"yes_dollars_fp", "no_dollars_fp"}) {
        const auto it = msg.FindMember(side);
        if (it == msg.MemberEnd()) continue;
        for (const auto& level : it->value.GetArray()) {
          MarketEvent e = base(EventType::snapshot_level, Venue::kalshi, id, kRecv);
          e.outcome = side[0] == 'y' ? Outcome::yes : Outcome::no;
          e.price = price_or_die(sv(level[0]));
          e.qty = qty_or_die(sv(level[1]));
          e.seq = seq;
          out.push_back(e);
        }
      }
      out[0].level_count = static_cast<uint32_t>(out.size() - 1);
      MarketEvent end = base(EventType::snapshot_end, Venue::kalshi, id, kRecv);
      end.seq = seq;
      out.push_back(end);
      return;
    }
    const WallNanos ts = ms_string(sv(at(doc, "timestamp")));
    if (m == Msg::poly_price_change) {
      for (const auto& c : at(doc, "price_changes").GetArray()) {
        MarketEvent e = base(EventType::level_set, Venue::polymarket,
                             table.find(Venue::polymarket, sv(at(c, "asset_id"))), kRecv);
        e.book_side = sv(at(c, "side")) == "BUY" ? BookSide::bid : BookSide::ask;
        e.price = price_or_die(sv(at(c, "price")));
        e.qty = qty_or_die(sv(at(c, "size")));
        e.best_bid = price_or_die(sv(at(c, "best_bid")));
        e.best_ask = price_or_die(sv(at(c, "best_ask")));
        e.venue_ts = ts;
        out.push_back(e);
      }
      return;
    }
    const InstrumentId id = table.find(Venue::polymarket, sv(at(doc, "asset_id")));
    MarketEvent b = base(EventType::snapshot_begin, Venue::polymarket, id, kRecv);
    b.price = price_or_die(sv(at(doc, "tick_size")));
    b.venue_ts = ts;
    out.push_back(b);
    for (const char* side : {"bids", "asks"}) {
      for (const auto& level : at(doc, side).GetArray()) {
        MarketEvent e = base(EventType::snapshot_level, Venue::polymarket, id, kRecv);
        e.book_side = side[0] == 'b' ? BookSide::bid : BookSide::ask;
        e.price = price_or_die(sv(at(level, "price")));
        e.qty = qty_or_die(sv(at(level, "size")));
        e.venue_ts = ts;
        out.push_back(e);
      }
    }
    out[0].level_count = static_cast<uint32_t>(out.size() - 1);
    MarketEvent end = base(EventType::snapshot_end, Venue::polymarket, id, kRecv);
    end.venue_ts = ts;
    out.push_back(end);
  }
};

// ---- pmx ---------------------------------------------------------------------------------------

struct PmxAdapter {
  KalshiParser kalshi;
  PolymarketParser poly;
  FrameBuffer bufs[4];
  PaddedFrame frames[4];

  PmxAdapter(InstrumentTable& t, const std::string (&messages)[4])
      : kalshi(t, ParserOptions{.register_unknown = false}),
        poly(t, ParserOptions{.register_unknown = false}) {
    for (int i = 0; i < 4; ++i)
      frames[i] = bufs[i].assign(messages[i]);
    // The delta's market needs a live book, or the sequencer drops the delta.
    kalshi.sequencer().on_snapshot(t.find(Venue::kalshi, "KXSWISSLEAGUEGAME-26SEP16LUGSTG-LUG"), 1);
  }

  // Returns the events in the parser's own buffer (no copy).
  std::span<const MarketEvent> parse(Msg m) {
    const int i = static_cast<int>(m);
    FeedError e;
    if (m == Msg::kalshi_delta || m == Msg::kalshi_snapshot) {
      kalshi.sequencer().reset_sid(1);  // the same seq again and again is not a duplicate here
      e = kalshi.parse(frames[i], kRecv);
      if (e != FeedError::ok) die("pmx kalshi parse failed");
      return kalshi.events();
    }
    e = poly.parse(frames[i], kRecv);
    if (e != FeedError::ok) die("pmx polymarket parse failed");
    return poly.events();
  }
};

struct Fixture {
  std::string messages[4];
  InstrumentTable table;
  std::unique_ptr<PmxAdapter> pmx;
  std::unique_ptr<NlohmannAdapter> nl;
  std::unique_ptr<RapidjsonAdapter> rj;
  std::vector<std::string> poly_ids;  // for the lookup benchmark
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void setup() {
  Fixture& f = fixture();
  const auto kob = lines_of(venues() + "kalshi/ws_orderbook_2026-09-16_sid1_seq1-12.jsonl");
  f.messages[0] = kob.at(4);
  f.messages[1] = kob.at(0);
  f.messages[2] = lines_of(venues() + "polymarket/ws_market_frames_2026-05-24.jsonl").at(1);
  f.messages[3] = lines_of(venues() + "polymarket/ssmd_ws_book_2026-02-12.jsonl").at(0);
  // Register the instruments the engine would have from its REST bootstrap.
  for (int i = 0; i < 2; ++i) {
    f.table.add(Venue::kalshi,
                nlohmann::json::parse(f.messages[i])["msg"]["market_ticker"].get<std::string>());
  }
  const nlohmann::json change =
      nlohmann::json::parse(f.messages[2]);  // named: a temporary's member dies in range-for
  for (const auto& c : change["price_changes"]) {
    f.table.add(Venue::polymarket, c["asset_id"].get<std::string>());
  }
  f.table.add(Venue::polymarket, nlohmann::json::parse(f.messages[3])["asset_id"].get<std::string>());
  const nlohmann::json dump =
      nlohmann::json::parse(lines_of(venues() + "polymarket/ws_market_frames_2026-05-24.jsonl").at(0));
  for (const auto& book : dump) {
    f.poly_ids.push_back(book["asset_id"].get<std::string>());
  }
  f.pmx = std::make_unique<PmxAdapter>(f.table, f.messages);
  f.nl = std::make_unique<NlohmannAdapter>(NlohmannAdapter{f.table});
  f.rj = std::make_unique<RapidjsonAdapter>(RapidjsonAdapter{f.table});

  // The check: all three extract identical events, or nothing is timed.
  for (int i = 0; i < 4; ++i) {
    const Msg m = static_cast<Msg>(i);
    const auto ours = f.pmx->parse(m);
    std::vector<MarketEvent> a(ours.begin(), ours.end()), b, c;
    f.nl->parse(m, f.messages[i], b);
    f.rj->parse(m, f.messages[i], c);
    if (a.empty() || a != b || a != c) {
      std::fprintf(stderr,
                   "bench_parse: %s: implementations disagree (pmx %zu, nlohmann %zu, rapidjson %zu events; "
                   "pmx unknown instruments %llu)\n",
                   kMsgNames[i], a.size(), b.size(), c.size(),
                   static_cast<unsigned long long>(f.pmx->poly.counters().unknown_instruments));
      for (size_t k = 0; k < std::min({a.size(), b.size(), c.size()}); ++k) {
        if (!(a[k] == b[k]) || !(a[k] == c[k])) {
          std::fprintf(stderr, "  first difference at event %zu\n", k);
          break;
        }
      }
      std::exit(4);
    }
    std::fprintf(stderr, "check %-18s %5zu bytes -> %3zu events, identical in pmx, nlohmann, rapidjson\n",
                 kMsgNames[i], f.messages[i].size(), a.size());
  }
}

void finish(benchmark::State& state, size_t bytes) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_pmx(benchmark::State& state, Msg m) {
  Fixture& f = fixture();
  for (auto _ : state) {
    const auto ev = f.pmx->parse(m);
    benchmark::DoNotOptimize(ev.data());
  }
  finish(state, f.messages[static_cast<int>(m)].size());
}

void BM_nlohmann(benchmark::State& state, Msg m) {
  Fixture& f = fixture();
  std::vector<MarketEvent> out;
  out.reserve(1024);
  for (auto _ : state) {
    f.nl->parse(m, f.messages[static_cast<int>(m)], out);
    benchmark::DoNotOptimize(out.data());
  }
  finish(state, f.messages[static_cast<int>(m)].size());
}

void BM_rapidjson(benchmark::State& state, Msg m) {
  Fixture& f = fixture();
  std::vector<MarketEvent> out;
  out.reserve(1024);
  for (auto _ : state) {
    f.rj->parse(m, f.messages[static_cast<int>(m)], out);
    benchmark::DoNotOptimize(out.data());
  }
  finish(state, f.messages[static_cast<int>(m)].size());
}

void BM_lookup_hash(benchmark::State& state) {
  Fixture& f = fixture();
  InstrumentTable t;
  for (const auto& id : f.poly_ids)
    t.add(Venue::polymarket, id);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(t.find(Venue::polymarket, f.poly_ids[i]));
    i = i + 1 == f.poly_ids.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_lookup_sorted(benchmark::State& state) {
  Fixture& f = fixture();
  std::vector<std::pair<std::string, uint32_t>> v;
  for (uint32_t k = 0; k < f.poly_ids.size(); ++k)
    v.emplace_back(f.poly_ids[k], k);
  std::sort(v.begin(), v.end());
  size_t i = 0;
  for (auto _ : state) {
    const std::string_view key = f.poly_ids[i];
    const auto it = std::lower_bound(v.begin(), v.end(), key, [](const auto& e, std::string_view k) {
      return std::string_view(e.first) < k;
    });
    benchmark::DoNotOptimize(it->second);
    i = i + 1 == f.poly_ids.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  setup();
  for (int i = 0; i < 4; ++i) {
    const Msg m = static_cast<Msg>(i);
    const std::string n = kMsgNames[i];
    benchmark::RegisterBenchmark(("BM_parse/pmx/" + n).c_str(), BM_pmx, m);
    benchmark::RegisterBenchmark(("BM_parse/nlohmann/" + n).c_str(), BM_nlohmann, m);
    benchmark::RegisterBenchmark(("BM_parse/rapidjson/" + n).c_str(), BM_rapidjson, m);
  }
  benchmark::RegisterBenchmark("BM_instrument_lookup/hash/500", BM_lookup_hash);
  benchmark::RegisterBenchmark("BM_instrument_lookup/sorted_vector/500", BM_lookup_sorted);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
