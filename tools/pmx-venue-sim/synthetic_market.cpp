#include "synthetic_market.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace pmx::sim {

namespace {

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 24 * kHourMs;
constexpr size_t kNone = static_cast<size_t>(-1);

// xoshiro256** seeded by splitmix64: the same stream on every platform (std::mt19937 is, but
// std::normal_distribution is not), so a seed names one byte stream.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& word : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
  }
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  int64_t below(int64_t n) { return static_cast<int64_t>(next() % static_cast<uint64_t>(n)); }
  bool chance(double p) { return uniform() < p; }
  double normal() {  // Box-Muller; the second value is dropped to keep the stream simple
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  std::string hex(size_t digits) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < digits; ++i)
      s += kHex[next() & 15];
    return s;
  }
  std::string decimal(size_t digits) {  // no leading zero
    std::string s(1, static_cast<char>('1' + below(9)));
    for (size_t i = 1; i < digits; ++i)
      s += static_cast<char>('0' + below(10));
    return s;
  }
  std::string uuid() { return hex(8) + "-" + hex(4) + "-4" + hex(3) + "-a" + hex(3) + "-" + hex(12); }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4]{};
};

double sigmoid(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

// Exact Ornstein-Uhlenbeck transition over dt seconds: mean reversion rate theta (1/s), stationary
// standard deviation sd. Exact, so any elapsed time (however a driver was scheduled) is right.
double ou(Rng& rng, double x, double mean, double theta, double sd, double dt) {
  const double decay = std::exp(-theta * dt);
  return mean + (x - mean) * decay + sd * std::sqrt(1.0 - decay * decay) * rng.normal();
}

// Dollar amount with the tick's decimals, trailing zeros trimmed, as Polymarket prints ("0.5").
std::string poly_decimal(int64_t value, int scale) {
  std::string s = format_fixed(value, scale);
  while (s.back() == '0')
    s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string poly_price(int64_t price) {
  return poly_decimal(price, 4);
}
std::string poly_size(int64_t size) {
  return poly_decimal(size, 2);
}

struct MarketState {
  SyntheticRole role = SyntheticRole::binary;
  int spread_extra = 0;  // extra ticks each side beyond the tightest quote
  int levels = 6;
  double base_size = 200.0;  // contracts at the top level
  int64_t fair = 5000;
  SimLevels bids;
  SimLevels asks;
  bool violation = false;
  int64_t last_trade = 5000;
};

struct Binary {
  size_t kalshi = kNone;
  size_t poly = kNone;
  double x = 0.0;   // latent logit
  double mu = 0.0;  // its long-run mean (expiring: recomputed from the time left)
  double sign = 1.0;
  double divergence = 0.0;  // Polymarket logit minus Kalshi logit
  int64_t last_ms = 0;
};

struct Exclusive {
  std::vector<size_t> kalshi;
  std::vector<size_t> poly;
  std::vector<double> y;               // outcome logits
  std::vector<double> mu;              // their means
  std::vector<double> divergence;      // Polymarket relative divergence per outcome
  double dislocation[2] = {0.0, 0.0};  // Kalshi, Polymarket: fair sum = 1 - dislocation
  int dislocation_left[2] = {0, 0};    // driver moves left before it closes
  int64_t last_ms = 0;
};

struct Ladder {
  std::vector<size_t> kalshi;  // increasing strike
  std::vector<double> strikes;
  double s = 0.0;  // the underlying
  double s_mean = 0.0;
  double s_sd = 0.0;
  double width = 1.0;  // CDF scale in strike units
  size_t violation_index = kNone;
  int violation_left = 0;
  int64_t last_ms = 0;
};

}  // namespace

std::string format_fixed(int64_t value, int scale) {
  int64_t div = 1;
  for (int i = 0; i < scale; ++i)
    div *= 10;
  const uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  const auto whole = static_cast<unsigned long long>(magnitude / static_cast<uint64_t>(div));
  const auto part = static_cast<unsigned long long>(magnitude % static_cast<uint64_t>(div));
  char buf[48];
  if (scale == 0) {
    std::snprintf(buf, sizeof buf, "%s%llu", value < 0 ? "-" : "", whole);
  } else {
    std::snprintf(buf, sizeof buf, "%s%llu.%0*llu", value < 0 ? "-" : "", whole, scale, part);
  }
  return buf;
}

std::string rfc3339_utc(int64_t epoch_ms) {
  // Howard Hinnant's civil_from_days.
  int64_t secs = epoch_ms >= 0 ? epoch_ms / 1000 : (epoch_ms - 999) / 1000;
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  const int64_t sod = secs - days * 86400;
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", static_cast<long long>(year),
                static_cast<long long>(month), static_cast<long long>(day),
                static_cast<long long>(sod / 3600), static_cast<long long>(sod / 60 % 60),
                static_cast<long long>(sod % 60));
  return buf;
}

struct SyntheticMarket::State {
  SyntheticOptions options;
  Rng rng;
  Universe universe;
  std::vector<MarketState> markets;  // parallel to universe.markets
  std::vector<Binary> binaries;
  std::vector<Exclusive> exclusives;
  std::vector<Ladder> ladders;
  uint64_t steps = 0;
  int64_t now_ms = 0;
  int64_t kalshi_seq = 0;

  explicit State(const SyntheticOptions& o) : options(o), rng(o.seed), now_ms(o.start_ms) {}

  // ---- universe ---------------------------------------------------------------------------

  size_t add_market(SimMarket m, SyntheticRole role) {
    MarketState s;
    s.role = role;
    s.spread_extra = rng.chance(0.3) ? 1 : 0;
    s.levels = 5 + static_cast<int>(rng.below(4));
    s.base_size = rng.uniform(80.0, 600.0);
    markets.push_back(s);
    universe.markets.push_back(std::move(m));
    return universe.markets.size() - 1;
  }

  SimMarket kalshi_market(const std::string& series, const std::string& event, const std::string& ticker,
                          const std::string& title, const std::string& outcome, int64_t close_ms,
                          const std::string& source) {
    SimMarket m;
    m.venue = Venue::kalshi;
    m.key = ticker;
    m.event_key = event;
    m.series_key = series;
    m.market_id = rng.uuid();
    m.title = title;
    m.outcome = outcome;
    m.tick = 100;
    m.open_ms = options.start_ms - 30 * kDayMs;
    m.close_ms = close_ms;
    m.strike_type = "custom";
    m.resolution_source = source;
    m.rules = "If " + outcome + ", then the market resolves to Yes. Source: " + source + ".";
    return m;
  }

  SimMarket poly_market(const std::string& event_id, const std::string& slug, const std::string& title,
                        const std::string& outcome, int64_t close_ms, int64_t tick, const std::string& source,
                        const std::string& neg_risk_id) {
    SimMarket m;
    m.venue = Venue::polymarket;
    m.key = "0x" + rng.hex(64);
    m.event_key = event_id;
    m.market_id = std::to_string(600000 + universe.markets.size());
    m.title = title;
    m.outcome = outcome;
    m.slug = slug;
    m.question_id = "0x" + rng.hex(64);
    m.yes_token = rng.decimal(77);
    m.no_token = rng.decimal(77);
    m.tick = tick;
    m.open_ms = options.start_ms - 30 * kDayMs;
    m.close_ms = close_ms;
    m.resolution_source = source;
    m.rules = "This market will resolve to \"Yes\" if " + outcome +
              ". The resolution source for this market is " + source + ".";
    m.neg_risk = !neg_risk_id.empty();
    m.neg_risk_market_id = neg_risk_id;
    return m;
  }

  size_t add_event(SimEvent e) {
    universe.events.push_back(std::move(e));
    return universe.events.size() - 1;
  }

  void build_universe() {
    const int n = options.markets;
    const int ladder_n = n >= 8 ? std::clamp(n / 5, 3, 8) : 0;
    int remaining = n - ladder_n;
    std::vector<int> exclusive_sizes;
    const int max_exclusive = std::max(1, n / 12);
    while (remaining >= 7 && static_cast<int>(exclusive_sizes.size()) < max_exclusive) {
      const int k = 3 + static_cast<int>(rng.below(3));
      exclusive_sizes.push_back(k);
      remaining -= k;
    }
    const int expiring_n = remaining >= 2 ? std::max(1, remaining / 4) : 0;
    const int binary_n = remaining - expiring_n;

    if (ladder_n > 0) build_ladder(ladder_n);
    for (size_t e = 0; e < exclusive_sizes.size(); ++e)
      build_exclusive(static_cast<int>(e), exclusive_sizes[e]);
    for (int i = 0; i < expiring_n; ++i)
      build_binary(i, true);
    for (int i = 0; i < binary_n; ++i)
      build_binary(i, false);
  }

  void build_ladder(int count) {
    const int64_t close = options.start_ms + (8 + rng.below(12)) * kHourMs;
    const std::string series = "KXSIMIDX";
    const std::string event = series + "-L" + std::to_string(close / kDayMs % 1000);
    Ladder ladder;
    const double step = 25.0;
    const double first = 4000.0;
    for (int i = 0; i < count; ++i) {
      const double strike = first + step * i;
      char strike_text[32];
      std::snprintf(strike_text, sizeof strike_text, "%.2f", strike);
      SimMarket m = kalshi_market(series, event, event + "-T" + std::to_string(static_cast<int>(strike)),
                                  "Will the Synthetic Index close above " + std::string(strike_text) + "?",
                                  "Above " + std::string(strike_text), close, "Synthetic Index Publisher");
      m.strike_type = "greater";
      m.floor_strike = strike;
      ladder.kalshi.push_back(add_market(std::move(m), SyntheticRole::ladder));
      ladder.strikes.push_back(strike);
    }
    ladder.s_mean = first + step * (count - 1) / 2.0;
    ladder.s = ladder.s_mean + rng.normal() * step;
    ladder.s_sd = 1.2 * step;
    ladder.width = 1.0 * step;
    SimEvent e;
    e.venue = Venue::kalshi;
    e.key = event;
    e.series_key = series;
    e.title = "Synthetic Index close";
    e.category = "Financials";
    e.close_ms = close;
    e.markets = ladder.kalshi;
    add_event(std::move(e));
    ladders.push_back(std::move(ladder));
  }

  void build_exclusive(int index, int outcomes) {
    const int64_t close = options.start_ms + (10 + rng.below(80)) * kDayMs;
    const std::string tag = "E" + std::to_string(index + 1);
    const std::string series = "KXSIMWIN";
    const std::string k_event = series + "-" + tag;
    const std::string p_event = std::to_string(90000 + index);
    const std::string neg_risk_id = "0x" + rng.hex(62) + "00";
    const std::string title = "Who will win Synthetic Contest " + tag + "?";
    const std::string source = "Synthetic Contest Committee";
    static constexpr const char* kNames[] = {"Avery", "Blake",  "Casey", "Drew",
                                             "Emery", "Finley", "Gray",  "Harper"};
    Exclusive ex;
    SimEvent ke;
    ke.venue = Venue::kalshi;
    ke.key = k_event;
    ke.series_key = series;
    ke.title = title;
    ke.category = "Elections";
    ke.mutually_exclusive = true;
    ke.close_ms = close;
    SimEvent pe;
    pe.venue = Venue::polymarket;
    pe.key = p_event;
    pe.slug = "synthetic-contest-" + tag;
    std::transform(pe.slug.begin(), pe.slug.end(), pe.slug.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    pe.title = title;
    pe.category = "Elections";
    pe.mutually_exclusive = true;
    pe.neg_risk_market_id = neg_risk_id;
    pe.close_ms = close;
    for (int i = 0; i < outcomes; ++i) {
      const std::string name = std::string(kNames[i % 8]) + " " + tag;
      const size_t k = add_market(
          kalshi_market(series, k_event, k_event + "-" + std::string(1, static_cast<char>('A' + i)),
                        "Will " + name + " win Synthetic Contest " + tag + "?", name, close, source),
          SyntheticRole::exclusive);
      std::string slug = "will-" + name + "-win";
      std::transform(slug.begin(), slug.end(), slug.begin(), [](char c) {
        return c == ' ' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      });
      const size_t p =
          add_market(poly_market(p_event, slug, "Will " + name + " win Synthetic Contest " + tag + "?", name,
                                 close, 10, source, neg_risk_id),
                     SyntheticRole::exclusive);
      ex.kalshi.push_back(k);
      ex.poly.push_back(p);
      ex.mu.push_back(rng.normal() * 0.8);
      ex.y.push_back(ex.mu.back() + rng.normal() * 0.2);
      ex.divergence.push_back(0.0);
      ke.markets.push_back(k);
      pe.markets.push_back(p);
      universe.pairs.push_back({k, p, true});
    }
    add_event(std::move(ke));
    add_event(std::move(pe));
    exclusives.push_back(std::move(ex));
  }

  void build_binary(int index, bool expiring) {
    const int64_t close = expiring ? options.start_ms + (1 + rng.below(6)) * kHourMs - rng.below(45) * 60'000
                                   : options.start_ms + (3 + rng.below(58)) * kDayMs;
    const std::string tag = (expiring ? "X" : "Q") + std::to_string(index + 1);
    const std::string series = expiring ? "KXSIMEXP" : "KXSIMQ";
    const std::string k_event = series + "-" + tag;
    const std::string title = expiring ? "Will Synthetic Measure " + tag + " print above target today?"
                                       : "Will Synthetic Proposition " + tag + " happen?";
    const std::string outcome =
        expiring ? "Measure " + tag + " above target" : "Proposition " + tag + " happens";
    const std::string source = expiring ? "Synthetic Measurement Office" : "Synthetic Statistics Bureau";
    // Every fifth plain binary resolves later on Polymarket: listed as a pair, but not equivalent.
    const bool skewed = !expiring && index % 5 == 4;
    const int64_t poly_close = skewed ? close + 30 * kDayMs : close;
    const size_t k = add_market(kalshi_market(series, k_event, k_event + "-Y", title, outcome, close, source),
                                expiring ? SyntheticRole::expiring : SyntheticRole::binary);
    const std::string p_event = std::to_string((expiring ? 70000 : 80000) + index);
    std::string slug = expiring ? "synthetic-measure-" + tag : "synthetic-proposition-" + tag;
    std::transform(slug.begin(), slug.end(), slug.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    const size_t p =
        add_market(poly_market(p_event, slug, title, outcome, poly_close, expiring ? 10 : 100, source, ""),
                   expiring ? SyntheticRole::expiring : SyntheticRole::binary);
    SimEvent ke;
    ke.venue = Venue::kalshi;
    ke.key = k_event;
    ke.series_key = series;
    ke.title = title;
    ke.category = expiring ? "Economics" : "World";
    ke.close_ms = close;
    ke.markets = {k};
    add_event(std::move(ke));
    SimEvent pe;
    pe.venue = Venue::polymarket;
    pe.key = p_event;
    pe.slug = slug;
    pe.title = title;
    pe.category = expiring ? "Economics" : "World";
    pe.close_ms = poly_close;
    pe.markets = {p};
    add_event(std::move(pe));
    universe.pairs.push_back({k, p, !skewed});
    Binary b;
    b.kalshi = k;
    b.poly = p;
    b.sign = rng.chance(0.5) ? 1.0 : -1.0;
    b.mu = expiring ? expiring_mean(b, close) : rng.uniform(-2.0, 2.0);
    b.x = b.mu + rng.normal() * 0.3;
    binaries.push_back(b);
  }

  // Expiring binaries head for their outcome: logit mean 3 at 6 h left, 5.5 at the close.
  double expiring_mean(const Binary& b, int64_t close) const {
    const double hours_left = std::max(0.0, static_cast<double>(close - now_ms) / kHourMs);
    return b.sign * (3.0 + 2.5 * (1.0 - std::min(hours_left, 6.0) / 6.0));
  }

  // ---- dynamics ---------------------------------------------------------------------------

  double seconds_since(int64_t& last_ms) {
    const double dt = static_cast<double>(now_ms - last_ms) / 1000.0;
    last_ms = now_ms;
    return dt;
  }

  void move_binary(Binary& b, std::vector<size_t>& touched, std::vector<double>& probs) {
    const double dt = seconds_since(b.last_ms);
    const bool expiring = markets[b.kalshi].role == SyntheticRole::expiring;
    if (expiring) b.mu = expiring_mean(b, universe.markets[b.kalshi].close_ms);
    b.x = ou(rng, b.x, b.mu, 1.0 / 240.0, expiring ? 0.2 : 0.35, dt);
    b.divergence = ou(rng, b.divergence, 0.0, 1.0 / 60.0, 0.06, dt);
    if (rng.chance(0.02)) b.divergence += (rng.chance(0.5) ? 1.0 : -1.0) * rng.uniform(0.15, 0.3);
    touched.push_back(b.kalshi);
    probs.push_back(sigmoid(b.x));
    touched.push_back(b.poly);
    probs.push_back(sigmoid(b.x + b.divergence));
  }

  void move_exclusive(Exclusive& ex, std::vector<size_t>& touched, std::vector<double>& probs) {
    const double dt = seconds_since(ex.last_ms);
    double total = 0.0;
    for (size_t i = 0; i < ex.y.size(); ++i) {
      ex.y[i] = ou(rng, ex.y[i], ex.mu[i], 1.0 / 300.0, 0.3, dt);
      ex.divergence[i] = std::clamp(ou(rng, ex.divergence[i], 0.0, 1.0 / 90.0, 0.03, dt), -0.1, 0.1);
      total += std::exp(ex.y[i]);
    }
    for (int v = 0; v < 2; ++v) {
      if (ex.dislocation_left[v] > 0) {
        --ex.dislocation_left[v];
      } else {
        ex.dislocation[v] = 0.0;
        if (rng.chance(0.05)) {
          // Mostly an underround (sum < 1: a bundle is cheap), sometimes an overround.
          ex.dislocation[v] = rng.chance(0.7) ? rng.uniform(0.035, 0.07) : -rng.uniform(0.01, 0.03);
          ex.dislocation_left[v] = 10 + static_cast<int>(rng.below(30));
        }
      }
    }
    std::vector<double> kalshi(ex.y.size());
    std::vector<double> poly(ex.y.size());
    double poly_total = 0.0;
    for (size_t i = 0; i < ex.y.size(); ++i) {
      const double q = std::exp(ex.y[i]) / total;
      kalshi[i] = q * (1.0 - ex.dislocation[0]);
      poly[i] = q * (1.0 + ex.divergence[i]);
      poly_total += poly[i];
    }
    for (size_t i = 0; i < ex.y.size(); ++i) {
      touched.push_back(ex.kalshi[i]);
      probs.push_back(kalshi[i]);
      touched.push_back(ex.poly[i]);
      probs.push_back(poly[i] / poly_total * (1.0 - ex.dislocation[1]));
    }
  }

  void move_ladder(Ladder& l, std::vector<size_t>& touched, std::vector<double>& probs) {
    const double dt = seconds_since(l.last_ms);
    l.s = ou(rng, l.s, l.s_mean, 1.0 / 200.0, l.s_sd, dt);
    std::vector<double> p(l.strikes.size());
    for (size_t i = 0; i < p.size(); ++i) {
      // P(S_close > X): normal CDF, decreasing in X, so the ladder is monotone by construction.
      p[i] = std::clamp(0.5 * std::erfc((l.strikes[i] - l.s) / (l.width * std::sqrt(2.0))), 0.005, 0.995);
    }
    if (l.violation_left > 0) {
      --l.violation_left;
    } else {
      l.violation_index = kNone;
      if (p.size() >= 2 && rng.chance(0.05)) {
        const size_t v = 1 + static_cast<size_t>(rng.below(static_cast<int64_t>(p.size() - 1)));
        if (p[v - 1] < 0.9) {
          l.violation_index = v;
          l.violation_left = 3 + static_cast<int>(rng.below(10));
        }
      }
    }
    if (l.violation_index != kNone && p[l.violation_index - 1] < 0.95) {
      // The higher strike priced 3¢ above the lower one: a Dutch book while it lasts.
      p[l.violation_index] = p[l.violation_index - 1] + 0.03;
    }
    for (size_t i = 0; i < p.size(); ++i) {
      markets[l.kalshi[i]].violation = i == l.violation_index && p[i] > p[i - 1];
      touched.push_back(l.kalshi[i]);
      probs.push_back(p[i]);
    }
  }

  // ---- books ------------------------------------------------------------------------------

  // New book for `m` around probability `p`; sizes of surviving levels mostly kept.
  void quote(size_t index, double p, SimLevels& bids, SimLevels& asks) {
    MarketState& m = markets[index];
    const int64_t tick = universe.markets[index].tick;
    m.fair = std::clamp(static_cast<int64_t>(std::llround(p * kOneDollar)), int64_t{1}, kOneDollar - 1);
    const int64_t floor_tick = m.fair / tick * tick;
    int64_t bid_top = floor_tick;
    int64_t ask_top = floor_tick + tick;
    if (floor_tick == m.fair) bid_top -= tick;  // on a tick: quote one tick either side
    bid_top -= m.spread_extra * tick;
    ask_top += m.spread_extra * tick;
    bids.clear();
    asks.clear();
    auto size_for = [&](const SimLevels& old, int64_t price, int level) {
      const auto it = old.find(price);
      const double keep = level == 0 ? 0.5 : 0.85;
      if (it != old.end() && rng.chance(keep)) return it->second;
      const double contracts = m.base_size * std::pow(0.72, level) * rng.uniform(0.6, 1.4);
      int64_t units = std::max<int64_t>(1, std::llround(contracts)) * 100;
      if (rng.chance(0.2)) units += rng.below(100);  // fractional counts exist on both venues
      return units;
    };
    for (int level = 0; level < m.levels; ++level) {
      const int64_t price = bid_top - level * tick;
      if (price < tick) break;
      bids[price] = size_for(m.bids, price, level);
    }
    for (int level = 0; level < m.levels; ++level) {
      const int64_t price = ask_top + level * tick;
      if (price > kOneDollar - tick) break;
      asks[price] = size_for(m.asks, price, level);
    }
  }

  struct Change {
    bool bid;  // YES bid (else YES ask)
    int64_t price;
    int64_t old_size;
    int64_t new_size;
  };

  // Level changes from the current book to (bids, asks): decreases first, so applying them in
  // order never crosses the book.
  static std::vector<Change> diff(const MarketState& m, const SimLevels& bids, const SimLevels& asks) {
    std::vector<Change> out;
    auto side = [&](bool bid, const SimLevels& from, const SimLevels& to) {
      for (const auto& [price, size] : from) {
        const auto it = to.find(price);
        const int64_t now = it == to.end() ? 0 : it->second;
        if (now != size) out.push_back({bid, price, size, now});
      }
      for (const auto& [price, size] : to) {
        if (!from.contains(price)) out.push_back({bid, price, 0, size});
      }
    };
    side(true, m.bids, bids);
    side(false, m.asks, asks);
    std::stable_partition(out.begin(), out.end(), [](const Change& c) { return c.new_size < c.old_size; });
    return out;
  }

  std::string ts_text(int64_t ms) const {
    std::string t = rfc3339_utc(ms);
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03lld", static_cast<long long>(((ms % 1000) + 1000) % 1000));
    t.insert(t.size() - 1, frac);
    return t;
  }

  SimFrame kalshi_frame(const SimMarket& market, std::string type, std::string text) const {
    SimFrame f;
    f.ts_ns = now_ms * 1'000'000;
    f.venue = Venue::kalshi;
    f.text = std::move(text);
    f.type = std::move(type);
    f.market_ticker = market.key;
    f.has_sid = true;
    f.has_seq = true;
    return f;
  }

  std::string kalshi_header(std::string_view type) {
    return R"({"type":")" + std::string(type) + R"(","sid":1,"seq":)" + std::to_string(++kalshi_seq) +
           R"(,"msg":{"market_ticker":")";
  }

  SimFrame kalshi_snapshot(size_t index) {
    const SimMarket& market = universe.markets[index];
    const MarketState& m = markets[index];
    std::string text =
        kalshi_header("orderbook_snapshot") + market.key + R"(","market_id":")" + market.market_id + '"';
    auto levels = [&](const char* key, const std::vector<std::pair<int64_t, int64_t>>& side) {
      if (side.empty()) return;  // Kalshi omits an empty side
      text += R"(,")";
      text += key;
      text += R"(":[)";
      for (size_t i = 0; i < side.size(); ++i) {
        if (i) text += ',';
        text +=
            R"([")" + format_fixed(side[i].first, 4) + R"(",")" + format_fixed(side[i].second, 2) + R"("])";
      }
      text += ']';
    };
    std::vector<std::pair<int64_t, int64_t>> yes(m.bids.begin(), m.bids.end());
    std::vector<std::pair<int64_t, int64_t>> no;
    for (auto it = m.asks.rbegin(); it != m.asks.rend(); ++it)
      no.emplace_back(kOneDollar - it->first, it->second);  // a YES ask at a is a NO bid at 1 - a
    levels("yes_dollars_fp", yes);
    levels("no_dollars_fp", no);
    text += "}}";
    return kalshi_frame(market, "orderbook_snapshot", std::move(text));
  }

  void kalshi_deltas(size_t index, const std::vector<Change>& changes, std::vector<SimFrame>& out) {
    const SimMarket& market = universe.markets[index];
    for (const Change& c : changes) {
      const int64_t price = c.bid ? c.price : kOneDollar - c.price;
      std::string text = kalshi_header("orderbook_delta") + market.key + R"(","market_id":")" +
                         market.market_id + R"(","price_dollars":")" + format_fixed(price, 4) +
                         R"(","delta_fp":")" + format_fixed(c.new_size - c.old_size, 2) + R"(","side":")" +
                         (c.bid ? "yes" : "no") + R"(","ts":")" + ts_text(now_ms) + R"(","ts_ms":)" +
                         std::to_string(now_ms) + "}}";
      out.push_back(kalshi_frame(market, "orderbook_delta", std::move(text)));
    }
  }

  // A stand-in for the venue's book hash (SHA-1 upstream; nobody can check it here): 40 hex digits,
  // a pure function of its inputs so late-subscriber books leave the stream unchanged.
  std::string poly_hash(const std::string& asset, uint64_t salt) const {
    uint64_t h = 0xcbf29ce484222325ULL ^ (salt * 0x9e3779b97f4a7c15ULL);
    for (char c : asset)
      h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%016llx%016llx%08llx", static_cast<unsigned long long>(h),
                  static_cast<unsigned long long>(h * 0x9e3779b97f4a7c15ULL),
                  static_cast<unsigned long long>(h >> 32));
    return buf;
  }

  // The `book` of the YES token (`yes`) or of the NO token, which mirrors it.
  std::string poly_book(size_t index, bool yes) const {
    const SimMarket& market = universe.markets[index];
    const MarketState& m = markets[index];
    const std::string& asset = yes ? market.yes_token : market.no_token;
    // Bids ascending and asks descending: the best level last in both, as the venue sends them.
    std::vector<std::pair<int64_t, int64_t>> bids;
    std::vector<std::pair<int64_t, int64_t>> asks;
    if (yes) {
      bids.assign(m.bids.begin(), m.bids.end());
      asks.assign(m.asks.rbegin(), m.asks.rend());
    } else {
      for (auto it = m.asks.rbegin(); it != m.asks.rend(); ++it)
        bids.emplace_back(kOneDollar - it->first, it->second);
      for (const auto& [price, size] : m.bids)
        asks.emplace_back(kOneDollar - price, size);
    }
    auto levels = [](const std::vector<std::pair<int64_t, int64_t>>& side) {
      std::string s = "[";
      for (size_t i = 0; i < side.size(); ++i) {
        if (i) s += ',';
        s += R"({"price":")" + poly_price(side[i].first) + R"(","size":")" + poly_size(side[i].second) +
             R"("})";
      }
      return s + "]";
    };
    const int64_t last = yes ? m.last_trade : kOneDollar - m.last_trade;
    return R"({"market":")" + market.key + R"(","asset_id":")" + asset + R"(","timestamp":")" +
           std::to_string(now_ms) + R"(","hash":")" + poly_hash(asset, static_cast<uint64_t>(now_ms)) +
           R"(","bids":)" + levels(bids) + R"(,"asks":)" + levels(asks) + R"(,"tick_size":")" +
           poly_price(market.tick) + R"(","event_type":"book","last_trade_price":")" + poly_price(last) +
           R"("})";
  }

  SimFrame poly_frame(const SimMarket& market, std::string type, std::string text) const {
    SimFrame f;
    f.ts_ns = now_ms * 1'000'000;
    f.venue = Venue::polymarket;
    f.text = std::move(text);
    f.type = std::move(type);
    f.asset_ids = {market.yes_token, market.no_token};
    return f;
  }

  SimFrame poly_initial_books(size_t index) {
    return poly_frame(universe.markets[index], "book",
                      "[" + poly_book(index, true) + "," + poly_book(index, false) + "]");
  }

  void poly_price_change(size_t index, const std::vector<Change>& changes, std::vector<SimFrame>& out) {
    if (changes.empty()) return;
    const SimMarket& market = universe.markets[index];
    SimLevels bids = markets[index].bids;  // applied entry by entry for each entry's best_bid/best_ask
    SimLevels asks = markets[index].asks;
    std::string text = R"({"market":")" + market.key + R"(","price_changes":[)";
    bool first = true;
    uint64_t salt = static_cast<uint64_t>(now_ms) * 1000;
    for (const Change& c : changes) {
      SimLevels& side = c.bid ? bids : asks;
      if (c.new_size == 0) {
        side.erase(c.price);
      } else {
        side[c.price] = c.new_size;
      }
      const int64_t yes_bid = bids.empty() ? 0 : bids.rbegin()->first;
      const int64_t yes_ask = asks.empty() ? kOneDollar : asks.begin()->first;
      auto entry = [&](const std::string& asset, int64_t price, bool buy, int64_t best_bid,
                       int64_t best_ask) {
        if (!first) text += ',';
        first = false;
        text += R"({"asset_id":")" + asset + R"(","price":")" + poly_price(price) + R"(","size":")" +
                poly_size(c.new_size) + R"(","side":")" + (buy ? "BUY" : "SELL") + R"(","hash":")" +
                poly_hash(asset, ++salt) + R"(","best_bid":")" + poly_price(best_bid) + R"(","best_ask":")" +
                poly_price(best_ask) + R"("})";
      };
      // A YES bid at p is a NO ask at 1 - p: each change shows on both tokens' books.
      entry(market.yes_token, c.price, c.bid, yes_bid, yes_ask);
      entry(market.no_token, kOneDollar - c.price, !c.bid, kOneDollar - yes_ask, kOneDollar - yes_bid);
    }
    text += R"(],"timestamp":")" + std::to_string(now_ms) + R"(","event_type":"price_change"})";
    out.push_back(poly_frame(market, "price_change", std::move(text)));
  }

  void requote(size_t index, double p, std::vector<SimFrame>& out) {
    SimLevels bids;
    SimLevels asks;
    quote(index, p, bids, asks);
    const std::vector<Change> changes = diff(markets[index], bids, asks);
    if (universe.markets[index].venue == Venue::kalshi) {
      kalshi_deltas(index, changes, out);
    } else {
      poly_price_change(index, changes, out);
    }
    markets[index].bids = std::move(bids);
    markets[index].asks = std::move(asks);
  }

  void record_tops() {
    for (size_t i = 0; i < markets.size(); ++i) {
      SimMarket& u = universe.markets[i];
      const MarketState& m = markets[i];
      u.yes_bid = m.bids.empty() ? 0 : m.bids.rbegin()->first;
      u.yes_bid_size = m.bids.empty() ? 0 : m.bids.rbegin()->second;
      u.yes_ask = m.asks.empty() ? 0 : m.asks.begin()->first;
      u.yes_ask_size = m.asks.empty() ? 0 : m.asks.begin()->second;
    }
  }

  void initial_quotes() {
    std::vector<size_t> touched;
    std::vector<double> probs;
    for (auto& b : binaries)
      move_binary(b, touched, probs);
    for (auto& ex : exclusives)
      move_exclusive(ex, touched, probs);
    for (auto& l : ladders)
      move_ladder(l, touched, probs);
    for (size_t i = 0; i < touched.size(); ++i) {
      quote(touched[i], probs[i], markets[touched[i]].bids, markets[touched[i]].asks);
      markets[touched[i]].last_trade =
          markets[touched[i]].fair / universe.markets[touched[i]].tick * universe.markets[touched[i]].tick;
    }
    record_tops();
  }

  void next_step(std::vector<SimFrame>& out) {
    if (steps++ == 0) {
      for (size_t i = 0; i < markets.size(); ++i) {
        if (universe.markets[i].venue == Venue::kalshi) {
          out.push_back(kalshi_snapshot(i));
        } else {
          out.push_back(poly_initial_books(i));
        }
      }
      return;
    }
    now_ms += options.step_ms;
    const size_t drivers = binaries.size() + exclusives.size() + ladders.size();
    size_t pick = static_cast<size_t>(rng.below(static_cast<int64_t>(drivers)));
    std::vector<size_t> touched;
    std::vector<double> probs;
    if (pick < binaries.size()) {
      move_binary(binaries[pick], touched, probs);
    } else if ((pick -= binaries.size()) < exclusives.size()) {
      move_exclusive(exclusives[pick], touched, probs);
    } else {
      move_ladder(ladders[pick - exclusives.size()], touched, probs);
    }
    for (size_t i = 0; i < touched.size(); ++i)
      requote(touched[i], probs[i], out);
  }
};

SyntheticMarket::SyntheticMarket(const SyntheticOptions& options) {
  if (options.markets < 1 || options.markets > 10'000)
    throw std::invalid_argument("--markets must be 1..10000, not " + std::to_string(options.markets));
  if (options.step_ms < 1) throw std::invalid_argument("the synthetic step must be >= 1 ms");
  state_ = std::make_unique<State>(options);
  state_->build_universe();
  for (auto& b : state_->binaries)
    b.last_ms = options.start_ms;
  for (auto& e : state_->exclusives)
    e.last_ms = options.start_ms;
  for (auto& l : state_->ladders)
    l.last_ms = options.start_ms;
  state_->initial_quotes();
}

SyntheticMarket::~SyntheticMarket() = default;
SyntheticMarket::SyntheticMarket(SyntheticMarket&&) noexcept = default;
SyntheticMarket& SyntheticMarket::operator=(SyntheticMarket&&) noexcept = default;

const Universe& SyntheticMarket::universe() const noexcept {
  return state_->universe;
}
SyntheticRole SyntheticMarket::role(size_t market) const {
  return state_->markets.at(market).role;
}
void SyntheticMarket::step(std::vector<SimFrame>& out) {
  state_->next_step(out);
}
uint64_t SyntheticMarket::steps_taken() const noexcept {
  return state_->steps;
}
int64_t SyntheticMarket::now_ms() const noexcept {
  return state_->now_ms;
}
int64_t SyntheticMarket::fair(size_t market) const {
  return state_->markets.at(market).fair;
}
const SimLevels& SyntheticMarket::yes_bids(size_t market) const {
  return state_->markets.at(market).bids;
}
const SimLevels& SyntheticMarket::yes_asks(size_t market) const {
  return state_->markets.at(market).asks;
}
bool SyntheticMarket::violates_ladder(size_t market) const {
  return state_->markets.at(market).violation;
}

std::string SyntheticMarket::polymarket_book_frame(std::string_view asset_id) const {
  for (size_t i = 0; i < state_->universe.markets.size(); ++i) {
    const SimMarket& m = state_->universe.markets[i];
    if (m.venue != Venue::polymarket) continue;
    if (m.yes_token == asset_id) return state_->poly_book(i, true);
    if (m.no_token == asset_id) return state_->poly_book(i, false);
  }
  return {};
}

}  // namespace pmx::sim
