#include "pmx/core/decimal.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace pmx {

// Lets GoogleTest print "too_many_decimals"-style names instead of raw bytes.
void PrintTo(DecimalError e, std::ostream* os) {
  *os << to_string(e);
}

namespace {

// ---- helpers ----------------------------------------------------------------------------------

DecimalError price_error(std::string_view text) {
  Price p{};
  return parse_price(text, p);
}
DecimalError qty_error(std::string_view text) {
  Qty q{};
  return parse_qty(text, q);
}
DecimalError money_error(std::string_view text) {
  Money m{};
  return parse_money(text, m);
}

int32_t price_ticks(std::string_view text) {
  Price p = Price::from_ticks(-777);
  EXPECT_EQ(parse_price(text, p), DecimalError::ok) << "text: " << text;
  return p.ticks;
}
int64_t qty_units(std::string_view text) {
  Qty q = Qty::from_units(-777);
  EXPECT_EQ(parse_qty(text, q), DecimalError::ok) << "text: " << text;
  return q.units;
}
int64_t money_micros(std::string_view text) {
  Money m = Money::from_micros(-777);
  EXPECT_EQ(parse_money(text, m), DecimalError::ok) << "text: " << text;
  return m.micros;
}

std::string format(int64_t value, int decimals, int min_decimals) {
  char buf[kMaxFixedChars];
  return std::string(format_fixed(value, decimals, min_decimals, buf, sizeof buf));
}

// ---- accepted forms -----------------------------------------------------------------------------

TEST(DecimalParse, ParsesPlainPrice) {
  EXPECT_EQ(price_ticks("0.48"), 4800);
}

TEST(DecimalParse, ParsesLeadingDotPrice) {
  EXPECT_EQ(price_ticks(".48"), 4800);
}

TEST(DecimalParse, ParsesPriceAtFullScale) {
  EXPECT_EQ(price_ticks("0.9600"), 9600);
  EXPECT_EQ(price_ticks("0.0001"), 1);
  EXPECT_EQ(price_ticks("1.0000"), 10'000);
}

TEST(DecimalParse, ParsesPolymarketThreeDecimalPrice) {
  EXPECT_EQ(price_ticks("0.001"), 10);
}

TEST(DecimalParse, ParsesKalshiCountAsQty) {
  EXPECT_EQ(qty_units("13999.44"), 13'999'440'000);
}

TEST(DecimalParse, ParsesPolymarketSizeAtFullScale) {
  EXPECT_EQ(qty_units("0.000001"), 1);
}

TEST(DecimalParse, ParsesIntegerWithoutDot) {
  EXPECT_EQ(price_ticks("1"), 10'000);
  EXPECT_EQ(qty_units("1171569"), 1'171'569'000'000);
}

TEST(DecimalParse, ParsesTrailingDot) {
  EXPECT_EQ(price_ticks("1."), 10'000);
}

TEST(DecimalParse, ParsesNegativeMoney) {
  EXPECT_EQ(money_micros("-54.00"), -54'000'000);
}

TEST(DecimalParse, ParsesNegativeLeadingDot) {
  EXPECT_EQ(money_micros("-.5"), -500'000);
}

TEST(DecimalParse, ParsesZeroInEveryForm) {
  for (std::string_view text : {"0", "0.", ".0", "0.0000", "-0", "-0.00", "000"}) {
    EXPECT_EQ(price_ticks(text), 0) << text;
  }
}

TEST(DecimalParse, ParsesLeadingZeros) {
  EXPECT_EQ(price_ticks("007.5"), 75'000);
  // Leading zeros are not significant digits, so a long run of them cannot overflow.
  EXPECT_EQ(money_micros("0000000000000000000000000000001.5"), 1'500'000);
}

TEST(DecimalParse, ParsesZeroScaleInteger) {
  int64_t v = 0;
  EXPECT_EQ(parse_fixed("123", 0, v), DecimalError::ok);
  EXPECT_EQ(v, 123);
  EXPECT_EQ(parse_fixed("123.", 0, v), DecimalError::ok);
  EXPECT_EQ(v, 123);
}

TEST(DecimalParse, ParsesEighteenDecimalScale) {
  int64_t v = 0;
  EXPECT_EQ(parse_fixed("9.223372036854775807", 18, v), DecimalError::ok);
  EXPECT_EQ(v, INT64_MAX);
  EXPECT_EQ(parse_fixed("-9.223372036854775808", 18, v), DecimalError::ok);
  EXPECT_EQ(v, INT64_MIN);
}

// ---- rejected forms -----------------------------------------------------------------------------

TEST(DecimalParse, RejectsLeadingPlus) {
  EXPECT_EQ(price_error("+1"), DecimalError::bad_character);
  EXPECT_EQ(price_error("+0.48"), DecimalError::bad_character);
}

TEST(DecimalParse, RejectsEmpty) {
  EXPECT_EQ(price_error(""), DecimalError::empty);
  EXPECT_EQ(price_error(std::string_view{}), DecimalError::empty);
}

TEST(DecimalParse, RejectsExponent) {
  for (std::string_view text : {"1e3", "1E-2", "1.5e2", "-2E+1", ".5e1", "1e", "e5"}) {
    EXPECT_EQ(money_error(text), DecimalError::exponent) << text;
  }
}

TEST(DecimalParse, RejectsNaNAndInfinity) {
  for (std::string_view text :
       {"nan", "NaN", "NAN", "-nan", "inf", "Inf", "-inf", "+inf", "infinity", "Infinity"}) {
    EXPECT_EQ(money_error(text), DecimalError::not_a_number) << text;
  }
}

TEST(DecimalParse, RejectsWordsThatOnlyStartLikeNaN) {
  EXPECT_EQ(money_error("nana"), DecimalError::bad_character);
  EXPECT_EQ(money_error("info"), DecimalError::bad_character);
  EXPECT_EQ(money_error("null"), DecimalError::bad_character);
}

TEST(DecimalParse, RejectsWhitespace) {
  for (std::string_view text : {" 1", "1 ", "\t1", "1\n", "0. 5", "- 1", " "}) {
    EXPECT_EQ(price_error(text), DecimalError::bad_character) << "[" << text << "]";
  }
}

TEST(DecimalParse, RejectsLoneSign) {
  EXPECT_EQ(price_error("-"), DecimalError::no_digits);
}

TEST(DecimalParse, RejectsLoneDot) {
  EXPECT_EQ(price_error("."), DecimalError::no_digits);
  EXPECT_EQ(price_error("-."), DecimalError::no_digits);
}

TEST(DecimalParse, RejectsDoubleSign) {
  EXPECT_EQ(price_error("--1"), DecimalError::bad_character);
  EXPECT_EQ(price_error("-+1"), DecimalError::bad_character);
  EXPECT_EQ(price_error("1-"), DecimalError::bad_character);
}

TEST(DecimalParse, RejectsSecondDot) {
  EXPECT_EQ(price_error("1.2.3"), DecimalError::bad_character);
  EXPECT_EQ(price_error("1.."), DecimalError::bad_character);
  EXPECT_EQ(price_error(".."), DecimalError::bad_character);
}

TEST(DecimalParse, RejectsHex) {
  EXPECT_EQ(money_error("0x1F"), DecimalError::bad_character);
  EXPECT_EQ(money_error("0X10"), DecimalError::bad_character);
  EXPECT_EQ(money_error("0x1e3"), DecimalError::bad_character);
}

TEST(DecimalParse, RejectsThousandsSeparatorAndQuotes) {
  EXPECT_EQ(money_error("1,000"), DecimalError::bad_character);
  EXPECT_EQ(money_error("1_000"), DecimalError::bad_character);
  EXPECT_EQ(money_error("\"0.48\""), DecimalError::bad_character);
}

TEST(DecimalParse, RejectsEmbeddedNul) {
  EXPECT_EQ(price_error(std::string_view("1\0", 2)), DecimalError::bad_character);
}

TEST(DecimalParse, RejectsMoreDecimalsThanPriceHolds) {
  EXPECT_EQ(price_error("0.12345"), DecimalError::too_many_decimals);
  EXPECT_EQ(price_error(".00001"), DecimalError::too_many_decimals);
}

TEST(DecimalParse, RejectsTrailingZeroBeyondPriceScale) {
  // Strict and literal: the fifth digit is refused even though it is a zero.
  EXPECT_EQ(price_error("0.48000"), DecimalError::too_many_decimals);
  EXPECT_EQ(price_error("1.00000"), DecimalError::too_many_decimals);
}

TEST(DecimalParse, RejectsMoreDecimalsThanQtyAndMoneyHold) {
  EXPECT_EQ(qty_error("0.0000001"), DecimalError::too_many_decimals);
  EXPECT_EQ(money_error("12232699.615479222"), DecimalError::too_many_decimals);
  EXPECT_EQ(money_error("1.0000000"), DecimalError::too_many_decimals);
}

TEST(DecimalParse, RejectsAnyFractionAtZeroScale) {
  int64_t v = 0;
  EXPECT_EQ(parse_fixed("1.0", 0, v), DecimalError::too_many_decimals);
}

TEST(DecimalParse, RejectsUnsupportedScale) {
  int64_t v = 0;
  EXPECT_EQ(parse_fixed("1", -1, v), DecimalError::too_many_decimals);
  EXPECT_EQ(parse_fixed("1", kMaxFixedDecimals + 1, v), DecimalError::too_many_decimals);
}

TEST(DecimalParse, ReportsSyntaxErrorBeforeTooManyDecimals) {
  EXPECT_EQ(price_error("0.12345e1"), DecimalError::exponent);
  EXPECT_EQ(price_error("0.12345x"), DecimalError::bad_character);
}

TEST(DecimalParse, ReportsSyntaxErrorBeforeOverflow) {
  EXPECT_EQ(money_error("99999999999999999999999999 "), DecimalError::bad_character);
}

TEST(DecimalParse, ReportsTooManyDecimalsBeforeOverflow) {
  EXPECT_EQ(price_error("99999999999.00001"), DecimalError::too_many_decimals);
}

TEST(DecimalParse, AcceptsPriceAtInt32Limits) {
  EXPECT_EQ(price_ticks("214748.3647"), INT32_MAX);
  EXPECT_EQ(price_ticks("-214748.3648"), INT32_MIN);
}

TEST(DecimalParse, RejectsPriceBeyondInt32Ticks) {
  EXPECT_EQ(price_error("214748.3648"), DecimalError::overflow);
  EXPECT_EQ(price_error("-214748.3649"), DecimalError::overflow);
  EXPECT_EQ(price_error("1000000"), DecimalError::overflow);
}

TEST(DecimalParse, AcceptsQtyAndMoneyAtInt64Limits) {
  EXPECT_EQ(qty_units("9223372036854.775807"), INT64_MAX);
  EXPECT_EQ(money_micros("-9223372036854.775808"), INT64_MIN);
}

TEST(DecimalParse, RejectsQtyAndMoneyBeyondInt64) {
  EXPECT_EQ(qty_error("9223372036854.775808"), DecimalError::overflow);
  EXPECT_EQ(money_error("-9223372036854.775809"), DecimalError::overflow);
  EXPECT_EQ(money_error("9223372036855"), DecimalError::overflow);          // overflows only when scaled
  EXPECT_EQ(money_error("18446744073709.551616"), DecimalError::overflow);  // 2^64 micros
  EXPECT_EQ(money_error("99999999999999999999999999999999"), DecimalError::overflow);
  EXPECT_EQ(money_error("-99999999999999999999999999999999.5"), DecimalError::overflow);
}

TEST(DecimalParse, LeavesOutputUntouchedOnError) {
  Price p = Price::from_ticks(42);
  EXPECT_NE(parse_price("0.12345", p), DecimalError::ok);
  EXPECT_NE(parse_price("214748.3648", p), DecimalError::ok);
  EXPECT_NE(parse_price("1e3", p), DecimalError::ok);
  EXPECT_EQ(p.ticks, 42);
  Qty q = Qty::from_units(42);
  EXPECT_NE(parse_qty("", q), DecimalError::ok);
  EXPECT_EQ(q.units, 42);
}

TEST(DecimalParse, NamesEveryError) {
  std::set<std::string_view> names;
  for (auto e : {DecimalError::ok, DecimalError::empty, DecimalError::bad_character, DecimalError::exponent,
                 DecimalError::not_a_number, DecimalError::no_digits, DecimalError::too_many_decimals,
                 DecimalError::overflow}) {
    EXPECT_FALSE(to_string(e).empty());
    names.insert(to_string(e));
  }
  EXPECT_EQ(names.size(), 8U);
}

// ---- formatting ---------------------------------------------------------------------------------

TEST(DecimalFormat, FormatsKalshiPriceWithFourDecimals) {
  char buf[kMaxFixedChars];
  EXPECT_EQ(format_price(Price::from_ticks(4800), 4, buf, sizeof buf), "0.4800");
  EXPECT_EQ(format_price(Price::from_ticks(10'000), 4, buf, sizeof buf), "1.0000");
}

TEST(DecimalFormat, FormatsKalshiCountWithTwoDecimals) {
  char buf[kMaxFixedChars];
  EXPECT_EQ(format_qty(Qty::contracts(10), 2, buf, sizeof buf), "10.00");
  EXPECT_EQ(format_qty(Qty::from_units(13'999'440'000), 2, buf, sizeof buf), "13999.44");
}

TEST(DecimalFormat, KeepsDigitsBeyondMinimumDecimals) {
  EXPECT_EQ(format(1'234'567, 6, 2), "1.234567");
  EXPECT_EQ(format(1'230'000, 6, 2), "1.23");
  EXPECT_EQ(format(1'200'000, 6, 2), "1.20");
}

TEST(DecimalFormat, DropsDotWhenNoFractionRemains) {
  EXPECT_EQ(format(-54'000'000, 6, 0), "-54");
  EXPECT_EQ(format(0, 4, 0), "0");
  EXPECT_EQ(format(7, 0, 0), "7");
}

TEST(DecimalFormat, FormatsSmallFractionsWithLeadingZeros) {
  EXPECT_EQ(format(1, 4, 0), "0.0001");
  EXPECT_EQ(format(-1, 6, 0), "-0.000001");
  EXPECT_EQ(format(-500'000, 6, 0), "-0.5");
}

TEST(DecimalFormat, FormatsInt64Extremes) {
  EXPECT_EQ(format(INT64_MIN, 0, 0), "-9223372036854775808");
  EXPECT_EQ(format(INT64_MIN, 18, 18), "-9.223372036854775808");
  EXPECT_EQ(format(INT64_MAX, 6, 0), "9223372036854.775807");
  EXPECT_EQ(format(-5, 18, 18), "-0.000000000000000005");
  EXPECT_EQ(format(INT64_MIN, 18, 18).size(), kMaxFixedChars);
}

TEST(DecimalFormat, ReturnsEmptyWhenBufferTooSmall) {
  char buf[6];
  EXPECT_TRUE(format_fixed(4800, 4, 4, buf, 5).empty());  // "0.4800" needs 6
  EXPECT_EQ(format_fixed(4800, 4, 4, buf, 6), "0.4800");
}

TEST(DecimalFormat, ReturnsEmptyForUnsupportedScale) {
  EXPECT_EQ(format(1, 4, 5), "");
  EXPECT_EQ(format(1, 19, 0), "");
  EXPECT_EQ(format(1, 4, -1), "");
}

TEST(DecimalRoundTrip, FormatsParsedTextCanonically) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"0.48", "0.48"},   {".48", "0.48"},          {"0.9600", "0.96"}, {"1.", "1"},
      {"-0", "0"},        {"-0.00", "0"},           {"007.50", "7.5"},  {"-54.00", "-54"},
      {"0.001", "0.001"}, {"13999.44", "13999.44"}, {"100", "100"},
  };
  for (const auto& [text, canonical] : cases) {
    Money m{};
    ASSERT_EQ(parse_money(text, m), DecimalError::ok) << text;
    EXPECT_EQ(format(m.micros, Money::kDecimals, 0), canonical) << text;
  }
}

TEST(DecimalRoundTrip, ParsesEveryFormattedValueBack) {
  // A deterministic spread of int64 values at every scale, plus the boundaries.
  std::vector<int64_t> values = {
      0, 1, -1, 9, 10, 99, 100, INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1};
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  for (int i = 0; i < 20'000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const int shift = static_cast<int>(x % 64);
    values.push_back(static_cast<int64_t>(x >> shift) * ((x & 1) != 0 ? -1 : 1));
  }
  for (int decimals = 0; decimals <= kMaxFixedDecimals; ++decimals) {
    for (const int64_t v : values) {
      for (const int min_decimals : {0, decimals}) {
        const std::string text = format(v, decimals, min_decimals);
        int64_t back = 0;
        ASSERT_EQ(parse_fixed(text, decimals, back), DecimalError::ok) << text << " @" << decimals;
        ASSERT_EQ(back, v) << text << " @" << decimals;
      }
    }
  }
}

// ---- every price and size string in the real venue recordings -----------------------------------

enum class Kind { price, qty, money };

struct Sample {
  std::string file;
  std::string field;
  std::string text;
  Kind kind;
  bool hot_path;  // a feed or REST field the engine reads; false for Gamma's float-rendered stats
};

std::optional<Kind> kalshi_kind(const std::string& field) {
  auto ends_with = [&](std::string_view suffix) { return std::string_view(field).ends_with(suffix); };
  // Dollar amounts rather than per-contract prices: may exceed the Price range.
  if (field == "liquidity_dollars" || field == "notional_value_dollars" || ends_with("volume_dollars") ||
      ends_with("interest_dollars")) {
    return Kind::money;
  }
  if (ends_with("_dollars")) return Kind::price;
  if (ends_with("_fp")) return Kind::qty;
  if (field == "start" || field == "end" || field == "step") return Kind::price;  // price_ranges
  return std::nullopt;
}

std::optional<Kind> polymarket_kind(const std::string& field) {
  if (field == "price" || field == "best_bid" || field == "best_ask" || field == "last_trade_price" ||
      field == "tick_size") {
    return Kind::price;
  }
  if (field == "size") return Kind::qty;
  if (field == "liquidity" || field == "volume") return Kind::money;  // Gamma event/market stats
  return std::nullopt;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Pulls every quoted decimal out of one file: "<field>":"<number>", Kalshi's [price, count]
// string pairs, and the stringified outcomePrices array of Gamma. Fields the classifier does not
// know (ids, timestamps, fee bps) are counted in `ignored`.
void extract(const std::filesystem::path& path, bool kalshi, std::vector<Sample>& out,
             std::map<std::string, int>& ignored) {
  static const std::regex kField(R"re("([A-Za-z_0-9]+)"\s*:\s*"(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))")re");
  static const std::regex kPair(R"re(\[\s*"([0-9.]+)"\s*,\s*"([0-9.]+)"\s*\])re");
  static const std::regex kOutcomePrices(R"re("outcomePrices"\s*:\s*"\[([^\]]*)\]")re");
  static const std::regex kEscapedNumber(R"re(\\"([0-9.]+)\\")re");

  const std::string text = read_file(path);
  const std::string file = path.filename().string();
  for (std::sregex_iterator it(text.begin(), text.end(), kField), end; it != end; ++it) {
    const std::string field = (*it)[1].str();
    const std::optional<Kind> kind = kalshi ? kalshi_kind(field) : polymarket_kind(field);
    if (!kind) {
      ++ignored[field];
      continue;
    }
    const bool gamma_stat = !kalshi && (field == "liquidity" || field == "volume");
    out.push_back({file, field, (*it)[2].str(), *kind, !gamma_stat});
  }
  if (kalshi) {
    for (std::sregex_iterator it(text.begin(), text.end(), kPair), end; it != end; ++it) {
      out.push_back({file, "level.price", (*it)[1].str(), Kind::price, true});
      out.push_back({file, "level.count", (*it)[2].str(), Kind::qty, true});
    }
  } else {
    for (std::sregex_iterator it(text.begin(), text.end(), kOutcomePrices), end; it != end; ++it) {
      const std::string inner = (*it)[1].str();
      for (std::sregex_iterator jt(inner.begin(), inner.end(), kEscapedNumber); jt != end; ++jt) {
        out.push_back({file, "outcomePrices", (*jt)[1].str(), Kind::price, true});
      }
    }
  }
}

struct Reference {
  DecimalError error = DecimalError::ok;
  int64_t value = 0;
  std::string canonical;  // the form format_fixed(value, scale, 0) must print
};

// Independent of the parser: split on '.', check the fraction length, right-pad it with zeros,
// concatenate the digits and hand them to std::stoll.
Reference reference(const std::string& text, int scale, int64_t lo, int64_t hi) {
  const bool negative = text.front() == '-';
  const std::string body = negative ? text.substr(1) : text;
  const size_t dot = body.find('.');
  std::string integer = body.substr(0, dot);
  std::string fraction = dot == std::string::npos ? "" : body.substr(dot + 1);
  if (fraction.size() > static_cast<size_t>(scale)) return {DecimalError::too_many_decimals, 0, ""};

  integer.erase(0, integer.find_first_not_of('0'));  // npos clears an all-zero part
  const std::string trimmed_fraction = fraction.substr(0, fraction.find_last_not_of('0') + 1);
  std::string digits = integer + fraction + std::string(static_cast<size_t>(scale) - fraction.size(), '0');
  digits.erase(0, digits.find_first_not_of('0'));
  // |value| may reach 2^63 when negative; equal-length digit strings compare like numbers.
  const std::string limit = negative ? "9223372036854775808" : "9223372036854775807";
  if (digits.size() > limit.size() || (digits.size() == limit.size() && digits > limit)) {
    return {DecimalError::overflow, 0, ""};
  }
  const uint64_t magnitude = digits.empty() ? 0 : std::stoull(digits);
  const int64_t value = static_cast<int64_t>(negative ? 0 - magnitude : magnitude);
  if (value < lo || value > hi) return {DecimalError::overflow, 0, ""};

  std::string canonical = (value < 0 ? "-" : "") + (integer.empty() ? std::string("0") : integer);
  if (!trimmed_fraction.empty()) canonical += "." + trimmed_fraction;
  return {DecimalError::ok, value, canonical};
}

TEST(DecimalVenueData, ParsesEveryPriceAndSizeStringExactly) {
  const std::filesystem::path root = std::filesystem::path(PMX_SHARED_DATA_DIR) / "venues";
  if (!std::filesystem::is_directory(root)) {
    GTEST_SKIP() << "venue recordings not found at " << root << " (PMX_SHARED_DATA_DIR)";
  }

  std::vector<Sample> samples;
  std::map<std::string, int> ignored;
  std::vector<std::string> skipped;
  for (const char* venue : {"kalshi", "polymarket"}) {
    const std::filesystem::path dir = root / venue;
    ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
      files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
      const std::string ext = path.extension().string();
      if (ext == ".json" || ext == ".jsonl") {
        extract(path, std::string_view(venue) == "kalshi", samples, ignored);
      } else if (ext == ".gz") {
        skipped.push_back(path.filename().string());  // needs zlib, which core_tests does not link
      }
    }
  }

  std::map<Kind, int> checked;
  std::map<std::string, int> rejected;  // "file field error" -> count
  int round_trips = 0;
  for (const Sample& s : samples) {
    SCOPED_TRACE(s.file + " " + s.field + " = \"" + s.text + "\"");
    DecimalError error = DecimalError::ok;
    int64_t value = 0;
    int scale = 0;
    Reference ref;
    switch (s.kind) {
      case Kind::price: {
        Price p{};
        error = parse_price(s.text, p);
        value = p.ticks;
        scale = Price::kDecimals;
        ref = reference(s.text, scale, INT32_MIN, INT32_MAX);
        break;
      }
      case Kind::qty: {
        Qty q{};
        error = parse_qty(s.text, q);
        value = q.units;
        scale = Qty::kDecimals;
        ref = reference(s.text, scale, INT64_MIN, INT64_MAX);
        break;
      }
      case Kind::money: {
        Money m{};
        error = parse_money(s.text, m);
        value = m.micros;
        scale = Money::kDecimals;
        ref = reference(s.text, scale, INT64_MIN, INT64_MAX);
        break;
      }
    }
    ++checked[s.kind];
    ASSERT_EQ(error, ref.error);
    if (error != DecimalError::ok) {
      // Only Gamma's float-rendered volume/liquidity stats may fall outside our types.
      EXPECT_FALSE(s.hot_path) << "a hot-path venue field does not fit its type";
      ++rejected[s.file + " " + s.field + ": " + std::string(to_string(error))];
      continue;
    }
    ASSERT_EQ(value, ref.value);
    ASSERT_EQ(format(value, scale, 0), ref.canonical);
    ++round_trips;
  }

  const int total = checked[Kind::price] + checked[Kind::qty] + checked[Kind::money];
  std::cout << "[ decimal  ] checked " << total << " real venue strings: " << checked[Kind::price]
            << " prices, " << checked[Kind::qty] << " sizes, " << checked[Kind::money] << " money amounts; "
            << round_trips << " parsed exactly and round-tripped\n";
  for (const auto& [what, n] : rejected)
    std::cout << "[ decimal  ] rejected " << n << "x " << what << "\n";
  for (const auto& f : skipped)
    std::cout << "[ decimal  ] skipped " << f << " (gzip; zlib not linked)\n";
  std::cout << "[ decimal  ] ignored non-price fields:";
  for (const auto& [field, n] : ignored)
    std::cout << " " << field << "(" << n << ")";
  std::cout << "\n";

  // The recordings hold about 24k prices and 24k sizes; a broken regex must not pass quietly.
  EXPECT_GE(checked[Kind::price], 20'000);
  EXPECT_GE(checked[Kind::qty], 20'000);
  EXPECT_GE(checked[Kind::money], 10);
  EXPECT_GE(round_trips, 40'000);
}

// ---- differential check against the reference on random strings ------------------------------

TEST(DecimalFuzz, AgreesWithReferenceOnRandomDigitStrings) {
  // Mostly digits, some signs and dots, lengths 0..28: covers every syntax branch, leading zeros,
  // excess decimals and the int64 boundary. Deterministic so a failure reproduces.
  static const std::regex kGrammar(R"re(-?(?:[0-9]+\.?[0-9]*|\.[0-9]+))re");
  static const std::regex kNoDigits(R"re(-?\.?)re");
  constexpr std::string_view kAlphabet = "0123456789012345678901234567899999-.";
  uint64_t x = 12345;
  auto next = [&x] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return x >> 33;
  };
  int valid = 0;
  for (int i = 0; i < 100'000; ++i) {
    std::string text(next() % 29, '0');
    for (char& c : text)
      c = kAlphabet[next() % kAlphabet.size()];
    if (next() % 4 == 0 && !text.empty()) text[0] = '-';
    const int scale = static_cast<int>(next() % (kMaxFixedDecimals + 1));

    Reference ref;
    if (text.empty()) {
      ref.error = DecimalError::empty;
    } else if (std::regex_match(text, kNoDigits)) {
      ref.error = DecimalError::no_digits;
    } else if (!std::regex_match(text, kGrammar)) {
      ref.error = DecimalError::bad_character;
    } else {
      ref = reference(text, scale, INT64_MIN, INT64_MAX);
      ++valid;
    }
    int64_t value = 0;
    ASSERT_EQ(parse_fixed(text, scale, value), ref.error) << "\"" << text << "\" @" << scale;
    if (ref.error == DecimalError::ok) {
      ASSERT_EQ(value, ref.value) << "\"" << text << "\" @" << scale;
    }
  }
  EXPECT_GE(valid, 20'000);
}

}  // namespace
}  // namespace pmx
