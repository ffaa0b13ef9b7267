// Exact text for fixed-point values in alerts: integer arithmetic only, never through double.
//
//   money_text(Money::from_micros(1'234'560'000))  "$1,234.56"
//   money_text(Money::from_micros(-310'500))       "-$0.3105"
//   signed_money_text(Money::from_micros(5'700'000)) "+$5.70"
//   price_text(Price::from_ticks(4200))            "$0.42"      price_text(4250 ticks) "$0.425"
//   qty_text(Qty::from_units(10'500'000))          "10.5"
//
// Dollars keep at least two decimals and drop trailing zeros beyond them; nothing is rounded.
#pragma once

#include <string>

#include "pmx/core/types.h"

namespace pmx {

std::string money_text(Money money);
std::string signed_money_text(Money money);  // "+" for zero and gains
std::string price_text(Price price);
std::string qty_text(Qty qty);

}  // namespace pmx
