// Fixtures shared by the shm tests.
#pragma once

#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "pmx/shm/layout.h"

namespace pmx::shm {

// Small segments and a name per test and process, so parallel ctest runs never collide.
inline Geometry small_geometry() {
  Geometry g;
  g.max_instruments = 64;
  g.max_positions = 16;
  g.opportunity_capacity = 16;
  g.order_capacity = 16;
  g.tape_count = 2;
  g.tape_entries = 64;
  g.tape_bytes = 1 << 14;
  return g;
}

// t<pid>-<n>-<test name>: unique per process (n counts calls) and recognisable in /dev/shm.
inline std::string test_instance() {
  static int calls = 0;
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return (std::string("t") + std::to_string(::getpid()) + "-" + std::to_string(++calls) + "-" + info->name())
      .substr(0, 48);
}

}  // namespace pmx::shm
