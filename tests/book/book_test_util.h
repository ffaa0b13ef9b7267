// Helpers shared by the book tests: tick sizes and exact decimal literals for prices and sizes.
#pragma once

#include <string_view>

#include <gtest/gtest.h>

#include "pmx/core/decimal.h"
#include "pmx/core/types.h"

namespace pmx::book_test {

inline constexpr Price kCent{100};
inline constexpr Price kDeciCent{10};

// "0.48" -> Price; a malformed literal fails the calling test.
inline Price P(std::string_view dollars) {
  Price p{};
  EXPECT_EQ(parse_price(dollars, p), DecimalError::ok) << dollars;
  return p;
}
// "13.5" -> Qty; a malformed literal fails the calling test.
inline Qty Q(std::string_view size) {
  Qty q{};
  EXPECT_EQ(parse_qty(size, q), DecimalError::ok) << size;
  return q;
}

}  // namespace pmx::book_test
