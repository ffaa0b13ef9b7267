// KalshiFeed against pmx-venue-sim on 127.0.0.1: sequence gaps repaired by get_snapshot, a hundred
// forced disconnects each followed by a reconnect and rebuilt books, a refused handshake retried
// with backoff on an injected clock, and a full ring. The books the feed's events build (BookSet,
// as the strategy thread builds them) are checked against a std::map replay of the capture read
// with nlohmann/json, sharing no code with pmx.
#include "pmx/feed/kalshi/kalshi_feed.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include "pmx/book/book_set.h"
#include "pmx/gateway/kalshi_signer.h"

#include "sim_process.h"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using pmx::BookSet;
using pmx::EventType;
using pmx::InstrumentId;
using pmx::KalshiFeed;
using pmx::KalshiFeedOptions;
using pmx::MarketEvent;
using pmx::gateway::KalshiSigner;
using pmx::test::SimProcess;

const std::string kCapture =
    std::string(PMX_SHARED_DATA_DIR) + "/venues/kalshi/ws_orderbook_2026-09-16_sid1_seq1-12.jsonl";

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) lines.push_back(l);
  return lines;
}

// "0.43" -> 4300 with `decimals` = 4, by string manipulation only.
int64_t fixed(const std::string& text, int decimals) {
  const size_t dot = text.find('.');
  std::string whole = text.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : text.substr(dot + 1);
  frac.resize(static_cast<size_t>(decimals), '0');
  const bool negative = !whole.empty() && whole[0] == '-';
  if (negative) whole.erase(0, 1);
  const int64_t v = std::stoll((whole.empty() ? "0" : whole) + frac);
  return negative ? -v : v;
}

// Independent replay: YES and NO bids per market, price ticks -> size units.
struct MapBook {
  std::map<int64_t, int64_t> yes, no;
  friend bool operator==(const MapBook&, const MapBook&) = default;
};
using MapBooks = std::map<std::string, MapBook>;

MapBook book_of_snapshot(const json& msg) {
  MapBook b;
  for (const json& level : msg.value("yes_dollars_fp", json::array()))
    b.yes[fixed(level[0].get<std::string>(), 4)] = fixed(level[1].get<std::string>(), 6);
  for (const json& level : msg.value("no_dollars_fp", json::array()))
    b.no[fixed(level[0].get<std::string>(), 4)] = fixed(level[1].get<std::string>(), 6);
  return b;
}

MapBooks replay(const std::vector<std::string>& lines, size_t count) {
  MapBooks books;
  for (size_t i = 0; i < count && i < lines.size(); ++i) {
    const json frame = json::parse(lines[i]);
    const json& msg = frame["msg"];
    const std::string ticker = msg["market_ticker"];
    if (frame["type"] == "orderbook_snapshot") {
      books[ticker] = book_of_snapshot(msg);
    } else if (frame["type"] == "orderbook_delta") {
      auto& side = msg["side"] == "yes" ? books.at(ticker).yes : books.at(ticker).no;
      const int64_t price = fixed(msg["price_dollars"].get<std::string>(), 4);
      side[price] += fixed(msg["delta_fp"].get<std::string>(), 6);
      if (side[price] == 0) side.erase(price);
    }
  }
  return books;
}

std::vector<std::string> tickers_of(const std::vector<std::string>& lines) {
  std::vector<std::string> tickers;
  for (const auto& l : lines) {
    const std::string t = json::parse(l)["msg"]["market_ticker"];
    if (std::find(tickers.begin(), tickers.end(), t) == tickers.end()) tickers.push_back(t);
  }
  return tickers;
}

// An RSA key pair: the signer, and the public key in a file for the sim (as tests/net does).
struct KalshiKey {
  KalshiSigner signer;
  std::string public_key_file;
  ~KalshiKey() {
    std::error_code ignored;
    std::filesystem::remove(public_key_file, ignored);
  }
  static std::unique_ptr<KalshiKey> generate(const std::string& name) {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    auto signer = KalshiSigner::from_pem(std::string(data, static_cast<size_t>(n)));
    BIO_free(bio);
    EVP_PKEY_free(key);
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("pmx-feed-kalshi-test-" + name + "-" + std::to_string(getpid()) + ".pub.pem"))
                                 .string();
    std::ofstream(path) << signer.public_key_pem();
    return std::unique_ptr<KalshiKey>(new KalshiKey{std::move(signer), path});
  }
};

const KalshiKey& good_key() {
  static const auto key = KalshiKey::generate("good");
  return *key;
}

MapBook book_in(const BookSet& books, InstrumentId id) {
  MapBook b;
  const pmx::KalshiBook* k = books.kalshi(id);
  k->yes_bids().visit([&](pmx::Price p, pmx::Qty q) {
    b.yes[p.ticks] = q.units;
    return true;
  });
  k->no_bids().visit([&](pmx::Price p, pmx::Qty q) {
    b.no[p.ticks] = q.units;
    return true;
  });
  return b;
}

// The strategy side: the ring's consumer and a BookSet, plus a record of every raw frame and of
// which frame each event came from. The consumer runs on the test thread, inside the feed's frame
// tap as well as after each poll(): events drained at the tap of frame k+1 are frame k's events.
struct Harness {
  explicit Harness(size_t ring_capacity = 4096) : ring(ring_capacity) {}

  void start(KalshiFeedOptions options) {
    options.frame_tap = [](void* self, std::string_view frame, pmx::MonoNanos) {
      auto* h = static_cast<Harness*>(self);
      if (!h->consume_in_tap) return;
      h->drain();
      h->on_frame_boundary();
      h->raw.emplace_back(frame);
      h->stale_before.push_back(h->stale_flags());
    };
    options.frame_tap_context = this;
    feed = std::make_unique<KalshiFeed>(table, *ring, std::move(options));
    for (const InstrumentId id : feed->instruments())
      books.ensure(id, pmx::Venue::kalshi, pmx::Price::from_ticks(1));
    ids.assign(feed->instruments().begin(), feed->instruments().end());
    must_be_stale.assign(ids.size(), true);  // no snapshot yet
  }

  std::vector<bool> stale_flags() const {
    std::vector<bool> f;
    for (const InstrumentId id : ids)
      f.push_back(books.stale(id));
    return f;
  }

  size_t index_of(InstrumentId id) const {
    for (size_t k = 0; k < ids.size(); ++k)
      if (ids[k] == id) return k;
    return SIZE_MAX;
  }

  void drain() {
    ring->consume_batch([&](const MarketEvent& e) {
      if (on_event) on_event(e);
      books.apply(e);
      events.push_back({e, raw.size()});
      const size_t k = index_of(e.instrument);
      if (k == SIZE_MAX) return;
      if (e.type == EventType::stale) must_be_stale[k] = true;
      if (e.type == EventType::snapshot_end) must_be_stale[k] = false;
      // Never a live book between a stale marker and the next complete snapshot.
      for (size_t j = 0; j < ids.size(); ++j)
        if (must_be_stale[j] && !books.stale(ids[j])) ++stale_violations;
    });
  }

  // Runs after frame raw.size() has had all its events applied.
  void on_frame_boundary() {
    if (raw.empty() || !after_frame) return;
    after_frame(raw.back());
  }

  bool wait(const std::function<bool()>& done, std::chrono::milliseconds timeout = 30s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      feed->poll();
      drain();
    }
    return true;
  }

  InstrumentId id_of(const std::string& ticker) const { return table.find(pmx::Venue::kalshi, ticker); }

  struct Seen {
    MarketEvent event;
    size_t frame;  // 1-based index into raw of the frame that produced it (or the last one before)
  };

  pmx::InstrumentTable table;
  pmx::SpscRingBuffer<MarketEvent> ring;
  BookSet books{false};
  std::unique_ptr<KalshiFeed> feed;
  std::vector<InstrumentId> ids;
  std::vector<std::string> raw;
  std::vector<std::vector<bool>> stale_before;  // per frame: BookSet stale flags before its events
  std::vector<Seen> events;
  std::vector<bool> must_be_stale;
  uint64_t stale_violations = 0;
  bool consume_in_tap = true;
  std::function<void(const MarketEvent&)> on_event;
  std::function<void(const std::string&)> after_frame;
};

KalshiFeedOptions options_for(const SimProcess& sim, const std::vector<std::string>& tickers,
                              const KalshiSigner* signer) {
  KalshiFeedOptions o;
  o.url = sim.url() + std::string(pmx::kKalshiWsPath);
  o.market_tickers = tickers;
  o.signer = signer;
  o.key_id = "test-key-id";
  o.reconnect.initial = 1ms;
  o.reconnect.max = 4ms;
  o.reconnect_random = [] { return 0.5; };
  return o;
}

bool have_capture() {
  return std::filesystem::exists(kCapture);
}

TEST(KalshiFeed, GapMarksTheBookStaleInTheRevealingFrameAndGetSnapshotRepairsIt) {
  if (!have_capture()) GTEST_SKIP() << "missing " << kCapture;
  const auto lines = read_lines(kCapture);
  ASSERT_EQ(lines.size(), 12u);
  SimProcess sim({"--capture", kCapture, "--venue", "kalshi", "--kalshi-public-key",
                  good_key().public_key_file, "--drop-every", "3"});
  Harness h;
  h.start(options_for(sim, tickers_of(lines), &good_key().signer));

  // After every orderbook_snapshot frame, the book is live and equals the frame (the sim's book).
  uint64_t snapshots_checked = 0;
  h.after_frame = [&](const std::string& frame) {
    const json f = json::parse(frame, nullptr, false);
    if (f.is_discarded() || f.value("type", "") != "orderbook_snapshot") return;
    const InstrumentId id = h.id_of(f["msg"]["market_ticker"]);
    EXPECT_FALSE(h.books.stale(id)) << frame;
    EXPECT_TRUE(book_in(h.books, id) == book_of_snapshot(f["msg"])) << frame;
    ++snapshots_checked;
  };

  auto count_type = [&](const std::string& type) {
    size_t n = 0;
    for (const auto& r : h.raw)
      n += json::parse(r).value("type", "") == type;
    return n;
  };
  // The replay sends frames 1,2,4,5,7,8,10,11 (3, 6, 9, 12 dropped): 5 deltas.
  ASSERT_TRUE(h.wait([&] { return count_type("orderbook_delta") == 5; }));
  EXPECT_GE(h.feed->counters().gaps, 1u);
  EXPECT_GE(h.feed->counters().snapshot_commands, 1u) << "a get_snapshot was sent after the gap";

  // Frame 12 was dropped too and nothing after it reveals that: ask for a resync, then wait until
  // every requested snapshot has arrived and every book is live.
  const uint64_t commands_before = h.feed->counters().snapshot_commands;
  h.feed->request_snapshots();
  const size_t replayed_snapshots = 3;  // seq 1, 2, 4
  ASSERT_TRUE(h.wait([&] {
    const auto& c = h.feed->counters();
    if (c.snapshot_commands == commands_before) return false;
    bool live = true;
    for (const InstrumentId id : h.ids)
      live = live && !h.books.stale(id);
    return live && count_type("ok") == c.snapshot_commands &&
           count_type("orderbook_snapshot") - replayed_snapshots == c.snapshots_requested;
  }));
  h.drain();
  h.on_frame_boundary();

  // 1. The frame that revealed each gap carried, before any level event of an instrument that was
  //    live when it arrived, that instrument's stale marker.
  int64_t last_seq = 0;
  size_t revealing_frames_with_live_books = 0;
  for (size_t k = 0; k < h.raw.size(); ++k) {
    const json f = json::parse(h.raw[k]);
    const std::string type = f.value("type", "");
    if (type != "orderbook_snapshot" && type != "orderbook_delta") continue;
    const int64_t seq = f["seq"];
    // The sim numbers a replayed frame when it schedules it, so a snapshot reply may overtake it
    // on the wire (seq 14 then 10): the late frame is older than the snapshot (which includes it)
    // and is a duplicate, as the sequencer says. Gaps are measured from the highest seq seen.
    const bool gap = last_seq != 0 && seq > last_seq + 1;
    last_seq = std::max(last_seq, seq);
    if (!gap) continue;
    const size_t frame_no = k + 1;
    for (size_t i = 0; i < h.ids.size(); ++i) {
      if (h.stale_before[k][i]) continue;  // already stale: nothing to mark
      ++revealing_frames_with_live_books;
      bool stale_seen = false;
      bool level_before_stale = false;
      for (const auto& s : h.events) {
        if (s.frame != frame_no || s.event.instrument != h.ids[i]) continue;
        if (s.event.type == EventType::stale) stale_seen = true;
        if ((s.event.type == EventType::level_delta || s.event.type == EventType::snapshot_level ||
             s.event.type == EventType::snapshot_begin) &&
            !stale_seen)
          level_before_stale = true;
      }
      const bool is_own_snapshot =
          type == "orderbook_snapshot" && h.id_of(f["msg"]["market_ticker"]) == h.ids[i];
      EXPECT_TRUE(stale_seen || is_own_snapshot)
          << "frame " << frame_no << " seq " << seq << " instrument " << i;
      EXPECT_FALSE(level_before_stale) << "frame " << frame_no << " instrument " << i;
    }
  }
  if (::testing::Test::HasFailure())
    for (size_t k = 0; k < h.raw.size(); ++k)
      std::cerr << k + 1 << ": " << h.raw[k].substr(0, 90) << "\n";
  EXPECT_GE(revealing_frames_with_live_books, 1u) << "the first gap (seq 2 -> 4) finds two live books";

  // 2. No book was reported live between its stale marker and its next snapshot.
  EXPECT_EQ(h.stale_violations, 0u);
  EXPECT_GE(snapshots_checked, 4u);

  // 3. The books equal the independent replay of the whole file (the sim's snapshots include the
  //    dropped frames).
  const MapBooks want = replay(lines, lines.size());
  for (const auto& [ticker, book] : want) {
    EXPECT_TRUE(book_in(h.books, h.id_of(ticker)) == book) << ticker;
  }
  EXPECT_EQ(h.feed->counters().errors, 0u);
  EXPECT_EQ(h.feed->counters().ring_full, 0u);
}

TEST(KalshiFeed, ReconnectsAHundredTimesAndRebuildsTheBooksAfterEach) {
  if (!have_capture()) GTEST_SKIP() << "missing " << kCapture;
  const auto lines = read_lines(kCapture);
  SimProcess sim({"--capture", kCapture, "--venue", "kalshi", "--kalshi-public-key",
                  good_key().public_key_file, "--disconnect-after", "5"});
  Harness h;
  h.start(options_for(sim, tickers_of(lines), &good_key().signer));
  const MapBooks want = replay(lines, 5);  // every connection replays frames 1..5, then closes

  // At each disconnect (the first of its stale markers, while every book is still live) the books
  // must equal the replay of frames 1..5 on that connection.
  uint64_t compared = 0;
  uint64_t mismatched = 0;
  h.on_event = [&](const MarketEvent& e) {
    if (e.type != EventType::stale || e.stale_reason != pmx::StaleReason::unsubscribed) return;
    for (const InstrumentId id : h.ids)
      if (h.books.stale(id)) return;
    ++compared;
    for (const auto& [ticker, book] : want)
      mismatched += !(book_in(h.books, h.id_of(ticker)) == book);
  };
  ASSERT_TRUE(h.wait([&] { return compared >= 101; }, 120s))
      << "compared " << compared << " reconnects " << h.feed->counters().reconnects;
  const auto& c = h.feed->counters();
  EXPECT_EQ(mismatched, 0u);
  EXPECT_GE(c.reconnects, 100u);
  EXPECT_GE(c.disconnects, 101u);
  EXPECT_GE(c.connects, 101u);
  EXPECT_EQ(c.auth_failures, 0u);
  EXPECT_EQ(h.feed->parser_counters().duplicates, 0u) << "each new connection's seq 1 is accepted";
  EXPECT_EQ(h.feed->parser_counters().gaps, 0u);
  EXPECT_EQ(h.stale_violations, 0u);
  EXPECT_EQ(c.ring_full, 0u);
}

std::atomic<int64_t> g_fake_now{1'000'000'000};
pmx::MonoNanos fake_clock() {
  return pmx::MonoNanos{g_fake_now.load()};
}

TEST(KalshiFeed, WrongKeyIsRefusedCountedAndRetriedWithBackoffOnTheInjectedClock) {
  const auto wrong = KalshiKey::generate("wrong");
  SimProcess sim({"--kalshi-public-key", good_key().public_key_file});
  Harness h;
  auto o = options_for(sim, {"SENATEOHS-26-D"}, &wrong->signer);
  o.reconnect.initial = 100ms;
  o.reconnect.max = 1000ms;
  o.reconnect.jitter = 0.0;
  o.clock = &fake_clock;
  h.start(std::move(o));

  ASSERT_TRUE(h.wait([&] { return h.feed->counters().auth_failures == 1; }));
  EXPECT_EQ(h.feed->last_disconnect().http_status, 401) << h.feed->last_disconnect().message;
  EXPECT_EQ(h.feed->state(), pmx::KalshiFeedState::waiting);
  EXPECT_EQ(h.feed->counters().connects, 0u);

  // Backoff 100 ms, then 200 ms, on the injected clock: no attempt before it, one at it.
  int64_t delay_ms = 100;
  for (int attempt = 1; attempt <= 3; ++attempt, delay_ms *= 2) {
    g_fake_now += (delay_ms - 1) * 1'000'000;
    for (int i = 0; i < 1000; ++i)
      h.feed->poll();
    EXPECT_EQ(h.feed->counters().reconnects, static_cast<uint64_t>(attempt - 1)) << "attempt " << attempt;
    g_fake_now += 1'000'000;
    h.feed->poll();
    EXPECT_EQ(h.feed->counters().reconnects, static_cast<uint64_t>(attempt));
    ASSERT_TRUE(
        h.wait([&] { return h.feed->counters().auth_failures == static_cast<uint64_t>(attempt + 1); }));
  }
  EXPECT_EQ(h.feed->counters().connects, 0u);
  EXPECT_TRUE(h.books.stale(h.ids[0]));
  for (const auto& s : h.events)
    EXPECT_EQ(s.event.type, EventType::stale);  // one marker per refused attempt, nothing else
}

TEST(KalshiFeed, FullRingDropsNothingSilentlyAndTheMarkerFollowsWhenSpaceFrees) {
  if (!have_capture()) GTEST_SKIP() << "missing " << kCapture;
  const auto lines = read_lines(kCapture);
  SimProcess sim({"--capture", kCapture, "--venue", "kalshi"});
  Harness h(128);  // holds the largest frame (78 events), not the replay (292)
  h.consume_in_tap = false;
  h.start(options_for(sim, tickers_of(lines), nullptr));
  // Do not consume until the replay has been received and overflowed.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  h.feed->poll();  // connects
  size_t received = 0;
  while (received < 16 && std::chrono::steady_clock::now() < deadline) {  // 4 subscribed + 12 frames
    h.feed->poll();
    received = h.feed->counters().frames;
  }
  ASSERT_GE(received, 16u);
  EXPECT_GT(h.feed->counters().ring_full, 0u);
  h.consume_in_tap = true;
  // Now consume: the stale markers get in, snapshots are requested, and the books rebuild.
  ASSERT_TRUE(h.wait([&] {
    bool live = true;
    for (const InstrumentId id : h.ids)
      live = live && !h.books.stale(id);
    return live && h.ring->empty_approx();
  }));
  EXPECT_GE(h.feed->counters().stale_emitted, 1u);
  EXPECT_GE(h.feed->counters().snapshot_commands, 1u);
  EXPECT_EQ(h.stale_violations, 0u);
  const MapBooks want = replay(lines, lines.size());
  for (const auto& [ticker, book] : want)
    EXPECT_TRUE(book_in(h.books, h.id_of(ticker)) == book) << ticker;
}

}  // namespace
