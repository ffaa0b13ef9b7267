// pmx-feedcat: reads captures (or bare venue frames) and prints what the feed handlers make of
// them, through the same parsers and books the engine runs.
//
//   default  one JSON line per normalized event
//   --top    after each event that changes a book, that book's top:
//            {"venue","instrument","bid","bid_size","ask","ask_size","ts"}; one line per
//            completed snapshot, per level change (each Polymarket price_change entry, each
//            Kalshi delta) and per book drop (tick size change, gap); a missing side is null
//   --book   at the end, every book: {"venue","instrument","bids":[[p,s],...],"asks":[...]}
//            best level first (Kalshi: bids are YES bids, asks the YES asks derived from NO bids)
//   --stats  counts as JSON on stderr
// Prices are dollars and sizes contracts/shares, as JSON numbers printed exactly.
// Bad input never stops it: each malformed line or frame is counted and skipped; exit 0.
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "pmx/book/book_set.h"
#include "pmx/core/decimal.h"
#include "pmx/core/json_string.h"
#include "pmx/feed/capture.h"
#include "pmx/feed/instrument_table.h"
#include "pmx/feed/kalshi/kalshi_parser.h"
#include "pmx/feed/polymarket/polymarket_parser.h"

namespace {

using namespace pmx;

std::string price_json(Price p) {
  return decimal_text(p.ticks, Price::kDecimals);
}
std::string qty_json(Qty q) {
  return decimal_text(q.units, Qty::kDecimals);
}

std::string price_or_null(Price p) {
  return p == kNoPrice ? "null" : price_json(p);
}

std::string event_json(const MarketEvent& e, const InstrumentTable& instruments) {
  std::string out = fmt::format(R"({{"type":"{}","venue":"{}","instrument":{})", to_string(e.type),
                                to_string(e.venue), json_string(instruments.key(e.instrument)));
  switch (e.type) {
    case EventType::snapshot_level:
    case EventType::level_delta:
    case EventType::level_set:
      out += fmt::format(R"(,"outcome":"{}","side":"{}","price":{},"qty":{})", to_string(e.outcome),
                         to_string(e.book_side), price_json(e.price), qty_json(e.qty));
      if (e.type == EventType::level_set)
        out += fmt::format(R"(,"best_bid":{},"best_ask":{})", price_or_null(e.best_bid),
                           price_or_null(e.best_ask));
      break;
    case EventType::trade:
      out += fmt::format(R"(,"outcome":"{}","aggressor":"{}","price":{},"qty":{})", to_string(e.outcome),
                         to_string(e.aggressor), price_or_null(e.price), qty_json(e.qty));
      break;
    case EventType::ticker:
      out += fmt::format(R"(,"price":{},"best_bid":{},"best_ask":{},"volume":{})", price_or_null(e.price),
                         price_or_null(e.best_bid), price_or_null(e.best_ask), qty_json(e.qty));
      break;
    case EventType::status:
      out += fmt::format(R"(,"status":"{}")", to_string(e.status));
      break;
    case EventType::snapshot_begin:
      out += fmt::format(R"(,"levels":{})", e.level_count);
      break;
    case EventType::tick_size_change:
      out += fmt::format(R"(,"tick":{},"old_tick":{})", price_or_null(e.price), price_or_null(e.old_tick));
      break;
    default:
      break;
  }
  out += fmt::format(R"(,"seq":{},"venue_ts":{},"recv_ts":{}}})", e.seq, e.venue_ts.ns, e.recv_ts.ns);
  return out;
}

std::string level_json(const Level& level, bool price) {
  if (!level.valid()) return "null";
  return price ? price_json(level.price) : qty_json(level.qty);
}

std::string top_json(const BookSet& books, const MarketEvent& e, const InstrumentTable& instruments) {
  const bool usable = books.has(e.instrument) && !books.stale(e.instrument);
  const Level bid = usable ? books.best_bid(e.instrument) : Level{};
  const Level ask = usable ? books.best_ask(e.instrument) : Level{};
  const int64_t ts = e.venue_ts.ns != 0 ? e.venue_ts.ns : e.recv_ts.ns;
  return fmt::format(
      R"({{"venue":"{}","instrument":{},"bid":{},"bid_size":{},"ask":{},"ask_size":{},"ts":{}}})",
      to_string(e.venue), json_string(instruments.key(e.instrument)), level_json(bid, true),
      level_json(bid, false), level_json(ask, true), level_json(ask, false), ts);
}

std::string side_json(const BookSet& books, InstrumentId id, BookSide side) {
  std::string out = "[";
  books.visit(id, [&](const auto& book) {
    book.for_each_level(side, SIZE_MAX, [&](const Level& level) {
      if (out.size() > 1) out += ',';
      out += '[' + price_json(level.price) + ',' + qty_json(level.qty) + ']';
    });
    return 0;
  });
  return out + ']';
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "pmx-feedcat: print the normalized events, tops of book or final books of venue captures.\n"
      "Reads <receive_ts_ns>\\t<venue>\\t<frame> lines (.zst: zstd), or bare frames with --venue."};
  std::vector<std::string> files;
  std::string venue_name;
  bool top = false;
  bool book = false;
  bool stats = false;
  app.add_option("files", files, "capture files")->required()->check(CLI::ExistingFile);
  app.add_option("--venue", venue_name, "the files hold bare frames of this venue (kalshi|polymarket)")
      ->check(CLI::IsMember({"kalshi", "polymarket"}));
  app.add_flag("--top", top, "print the top of book after each event that changes a book");
  app.add_flag("--book", book, "print every book at the end");
  app.add_flag("--stats", stats, "print counts as JSON on stderr");
  CLI11_PARSE(app, argc, argv);

  InstrumentTable instruments;
  ParserOptions options;
  options.register_unknown = true;
  KalshiParser kalshi(instruments, options);
  PolymarketParser polymarket(instruments, options);
  BookSet books(/*create_on_first_event=*/true);
  uint64_t frames = 0;
  uint64_t events = 0;
  uint64_t bad_lines = 0;
  uint64_t unreadable_files = 0;

  CaptureReader::Options capture_options;
  if (!venue_name.empty())
    capture_options.bare_venue = venue_name == "kalshi" ? Venue::kalshi : Venue::polymarket;

  std::string out;
  for (const std::string& file : files) {
    CaptureReader reader;
    if (reader.open(file, capture_options) != FeedError::ok) {
      std::fprintf(stderr, "pmx-feedcat: cannot read %s\n", file.c_str());
      ++unreadable_files;
      continue;
    }
    CaptureRecord record;
    while (reader.next(record)) {
      ++frames;
      const bool is_kalshi = record.venue == Venue::kalshi;
      const FeedError status = is_kalshi ? kalshi.parse(record.frame, record.recv_ts)
                                         : polymarket.parse(record.frame, record.recv_ts);
      if (status != FeedError::ok) continue;  // counted by the parser
      for (const MarketEvent& e : is_kalshi ? kalshi.events() : polymarket.events()) {
        ++events;
        const BookSet::Applied applied = books.apply(e);
        if (!top && !book) {
          out = event_json(e, instruments);
        } else if (top && (applied == BookSet::Applied::level || applied == BookSet::Applied::snapshot ||
                           applied == BookSet::Applied::stale)) {
          out = top_json(books, e, instruments);
        } else {
          continue;
        }
        std::fwrite(out.data(), 1, out.size(), stdout);
        std::fputc('\n', stdout);
      }
    }
    if (reader.error() != FeedError::ok)
      std::fprintf(stderr, "pmx-feedcat: %s: stopped at line %lu: %s\n", file.c_str(),
                   static_cast<unsigned long>(reader.counters().lines),
                   std::string(to_string(reader.error())).c_str());
    bad_lines += reader.counters().bad_lines;
  }

  if (book) {
    for (uint32_t i = 0; i < books.size(); ++i) {
      const InstrumentId id{i};
      if (!books.has(id)) continue;
      std::printf("{\"venue\":\"%s\",\"instrument\":%s,\"bids\":%s,\"asks\":%s}\n",
                  std::string(to_string(books.venue(id))).c_str(), json_string(instruments.key(id)).c_str(),
                  side_json(books, id, BookSide::bid).c_str(), side_json(books, id, BookSide::ask).c_str());
    }
  }
  if (stats) {
    const FeedCounters& k = kalshi.counters();
    const FeedCounters& p = polymarket.counters();
    std::fprintf(
        stderr,
        "{\"frames\":%lu,\"events\":%lu,\"parse_errors\":%lu,\"bad_lines\":%lu,\"gaps\":%lu,"
        "\"duplicates\":%lu,\"stale_books\":%lu,\"dropped_for_stale_book\":%lu,\"refused_levels\":%lu,"
        "\"unreadable_files\":%lu}\n",
        static_cast<unsigned long>(frames), static_cast<unsigned long>(events),
        static_cast<unsigned long>(k.parse_errors + p.parse_errors), static_cast<unsigned long>(bad_lines),
        static_cast<unsigned long>(k.gaps), static_cast<unsigned long>(k.duplicates),
        static_cast<unsigned long>(books.stale_books()),
        static_cast<unsigned long>(books.counters().dropped_stale),
        static_cast<unsigned long>(books.counters().refused_levels),
        static_cast<unsigned long>(unreadable_files));
  }
  return 0;
}
