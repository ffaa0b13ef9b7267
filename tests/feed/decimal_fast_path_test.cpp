// The parsers' decimal fast path must agree with pmx::parse_fixed on every text it accepts.
#include <cstdint>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "../../src/feed/parser_core.h"

namespace pmx {
namespace {

void expect_agrees(const std::string& text, int decimals) {
  int64_t fast = 0, slow = 0;
  if (feed_detail::parse_fixed_fast(text, decimals, fast)) {
    ASSERT_EQ(parse_fixed(text, decimals, slow), DecimalError::ok) << text;
    EXPECT_EQ(fast, slow) << text << " decimals " << decimals;
  }
}

TEST(DecimalFastPath, AgreesWithParseFixedOnVenueShapes) {
  for (const char* t : {"0.4800", "13999.44", ".48", "1171569", "0", "0.", "1.", "007", "0.001",
                        "99999999999.999999", "1000000000000"}) {
    expect_agrees(t, 4);
    expect_agrees(t, 6);
  }
  int64_t v = 0;
  EXPECT_TRUE(feed_detail::parse_fixed_fast("13999.44", 6, v));
  EXPECT_EQ(v, 13'999'440'000);
}

TEST(DecimalFastPath, DeclinesWhatItCannotProve) {
  int64_t v = 0;
  for (const char* t : {"", ".", "-1", "+1", "1e3", "0.12345", "nan", "1.2.3", " 1", "1234567890123456789"}) {
    EXPECT_FALSE(feed_detail::parse_fixed_fast(t, 4, v)) << t;
  }
}

TEST(DecimalFastPath, AgreesOnRandomDigitStrings) {
  std::mt19937_64 rng(7);
  const std::string alphabet = "0123456789.";
  for (int i = 0; i < 200'000; ++i) {
    std::string t(rng() % 22, '0');
    for (char& c : t)
      c = alphabet[rng() % alphabet.size()];
    expect_agrees(t, static_cast<int>(rng() % 7));
  }
}

}  // namespace
}  // namespace pmx
