#include "pmx/shm/snapshot.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include <fmt/format.h>

#include "pmx/core/clock.h"
#include "pmx/core/types.h"

namespace pmx::shm {
namespace {

// A seqlock row whose writer died mid-write stays odd forever; a tool gives up after this many
// attempts and skips the row instead of hanging.
constexpr int kReadAttempts = 10'000;

template <typename T>
bool bounded_load(const Seqlock<T>& lock, T& out) noexcept {
  for (int i = 0; i < kReadAttempts; ++i)
    if (lock.try_load(out)) return true;
  return false;
}

// Names in shared memory are NUL-terminated by the writer, but a tool trusts nothing it maps.
std::string bounded_name(const char* name, size_t capacity) {
  return std::string(name, ::strnlen(name, capacity));
}

}  // namespace

std::string Snapshot::instrument_name(uint32_t id) const {
  const auto it = std::lower_bound(instruments.begin(), instruments.end(), id,
                                   [](const Instrument& i, uint32_t v) { return i.id < v; });
  if (it != instruments.end() && it->id == id) return it->name;
  return "#" + std::to_string(id);
}

std::vector<std::string> Snapshot::tripped_breakers() const {
  std::vector<std::string> out;
  for (size_t i = 0; i < kBreakerCount; ++i)
    if (risk.breakers & (1u << i)) out.emplace_back(kBreakerNames[i]);
  for (size_t i = kBreakerCount; i < 32; ++i)
    if (risk.breakers & (1u << i)) out.push_back("breaker" + std::to_string(i));
  return out;
}

Snapshot take_snapshot(const StateReader& reader) {
  Snapshot s;
  const SegmentHeader& h = reader.header();
  s.taken_mono_ns = mono_now().ns;
  s.taken_wall_ns = wall_now().ns;
  s.instance = bounded_name(h.instance, sizeof h.instance);

  s.engine.pid = h.engine_pid;
  s.engine.uptime_ns = s.taken_mono_ns - h.start_mono_ns;
  s.engine.heartbeat_age_ns = reader.heartbeat_age_ns();
  s.engine.alive = reader.engine_alive();
  EngineStatus status;
  if (bounded_load(h.status, status)) {
    s.engine.mode = status.mode;
    s.engine.halted = status.halted != 0;
    s.engine.halt_reason = bounded_name(status.halt_reason, sizeof status.halt_reason);
    s.engine.halted_since_ns = status.halted_since_ns;
    s.engine.commands_applied = status.commands_applied;
  }

  const CounterSlot* counters = reader.counters();
  for (size_t i = 0; i < kMaxCounters; ++i) {
    if (counters[i].registered.load(std::memory_order_acquire) == 0) continue;
    s.counters.push_back({bounded_name(counters[i].name, sizeof counters[i].name),
                          counters[i].value.load(std::memory_order_relaxed)});
  }

  for (size_t i = 0; i < kStageCount; ++i) {
    const LatencyHistogram::Stats st = reader.histogram(static_cast<Stage>(i)).stats();
    s.latency[i] = {st.count, st.p50, st.p99, st.p999, st.max};
  }

  const RingSlot* rings = reader.rings();
  for (size_t i = 0; i < kMaxRings; ++i) {
    if (rings[i].registered.load(std::memory_order_acquire) == 0) continue;
    s.rings.push_back({bounded_name(rings[i].name, sizeof rings[i].name), rings[i].capacity,
                       rings[i].occupancy.load(std::memory_order_relaxed),
                       rings[i].high_water.load(std::memory_order_relaxed)});
  }

  const ThreadSlot* threads = reader.threads();
  for (size_t i = 0; i < kMaxThreads; ++i) {
    if (threads[i].registered.load(std::memory_order_acquire) == 0) continue;
    s.threads.push_back({bounded_name(threads[i].name, sizeof threads[i].name), threads[i].cpu,
                         threads[i].loops.load(std::memory_order_relaxed),
                         threads[i].busy_ns.load(std::memory_order_relaxed)});
  }

  const uint32_t max_instruments = reader.geometry().max_instruments;
  const InstrumentSlot* instruments = reader.instruments();
  const BookSlot* books = reader.books();
  for (uint32_t i = 0; i < max_instruments; ++i) {
    if (instruments[i].registered.load(std::memory_order_acquire) == 0) continue;
    Snapshot::Instrument instrument{i, instruments[i].venue,
                                    bounded_name(instruments[i].name, sizeof instruments[i].name)};
    const uint64_t updates = books[i].top.version();
    BookTop top;
    if (updates > 0 && bounded_load(books[i].top, top))
      s.books.push_back({i, instrument.venue, instrument.name, top, updates});
    s.instruments.push_back(std::move(instrument));
  }

  const PositionSlot* positions = reader.positions();
  for (uint32_t i = 0; i < reader.geometry().max_positions; ++i) {
    PositionRow row;
    if (!bounded_load(positions[i].row, row) || row.instrument == UINT32_MAX) continue;
    s.positions.push_back({i, s.instrument_name(row.instrument), row});
  }

  // Through locals: GCC 12 misreads a memcpy into a member subobject as an overflow.
  AccountRow account;
  if (bounded_load(reader.account().account, account)) s.account = account;
  RiskRow risk;
  if (bounded_load(reader.account().risk, risk)) s.risk = risk;
  reader.recent_opportunities(kSnapshotRecent,
                              [&](const OpportunityRow& row) { s.opportunities.push_back(row); });
  reader.recent_orders(kSnapshotRecent, [&](const OrderRow& row) { s.orders.push_back(row); });
  return s;
}

Rates rates(const Snapshot& before, const Snapshot& after) {
  Rates r;
  const int64_t interval_ns = after.taken_mono_ns - before.taken_mono_ns;
  r.interval_s = static_cast<double>(interval_ns) / 1e9;
  auto per_second = [&](uint64_t old_value, uint64_t new_value) {
    if (interval_ns <= 0) return 0.0;
    const uint64_t delta = new_value >= old_value ? new_value - old_value : new_value;  // reset: from zero
    return static_cast<double>(delta) / r.interval_s;
  };

  std::unordered_map<std::string, uint64_t> old_counters;
  for (const auto& c : before.counters)
    old_counters.emplace(c.name, c.value);
  for (const auto& c : after.counters) {
    const auto it = old_counters.find(c.name);
    r.counters.push_back({c.name, per_second(it == old_counters.end() ? 0 : it->second, c.value)});
  }

  for (const auto& t : after.threads) {
    const auto it = std::find_if(before.threads.begin(), before.threads.end(),
                                 [&](const Snapshot::Thread& o) { return o.name == t.name; });
    const uint64_t old_loops = it == before.threads.end() ? 0 : it->loops;
    const uint64_t old_busy = it == before.threads.end() ? 0 : it->busy_ns;
    const double busy_pct =
        interval_ns <= 0
            ? 0.0
            : 100.0 * static_cast<double>(t.busy_ns >= old_busy ? t.busy_ns - old_busy : t.busy_ns) /
                  static_cast<double>(interval_ns);
    r.threads.push_back({t.name, per_second(old_loops, t.loops), std::min(busy_pct, 100.0)});
  }

  std::unordered_map<uint32_t, uint64_t> old_updates;
  for (const auto& b : before.books)
    old_updates.emplace(b.instrument, b.updates);
  for (const auto& b : after.books) {
    const auto it = old_updates.find(b.instrument);
    r.books.push_back({b.instrument, per_second(it == old_updates.end() ? 0 : it->second, b.updates)});
  }
  return r;
}

std::string format_duration_ns(uint64_t nanos) {
  const double v = static_cast<double>(nanos);
  if (nanos < 1'000) return fmt::format("{}ns", nanos);
  if (nanos < 1'000'000) return fmt::format("{:.1f}us", v / 1e3);
  if (nanos < 1'000'000'000) return fmt::format("{:.2f}ms", v / 1e6);
  return fmt::format("{:.2f}s", v / 1e9);
}

std::string_view venue_name(uint8_t venue) noexcept {
  return venue < kVenueCount ? to_string(static_cast<Venue>(venue)) : std::string_view("unknown");
}

}  // namespace pmx::shm
