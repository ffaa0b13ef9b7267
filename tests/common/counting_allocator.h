// A test program that compiles tests/common/counting_allocator.cpp replaces the global
// operator new with one that counts (allowed in a test program). Read the count before and
// after the code under test.
#pragma once

#include <cstdint>

namespace pmx::test {

// Allocations through operator new since the program started.
uint64_t allocation_count() noexcept;

}  // namespace pmx::test
