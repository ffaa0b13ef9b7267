// Helpers shared by the model tests.
#pragma once

#include <cstdint>

#include "pmx/core/types.h"

namespace pmx::model_test {

// 0.42 -> Price, rounded to the nearest tick of $0.0001.
inline Price dollars(double d) {
  return Price::from_ticks(static_cast<int32_t>(d * 10'000 + 0.5));
}

}  // namespace pmx::model_test
