# Warning flags for pmx targets and the helpers that declare tests and benchmarks.
#
# Warnings apply to pmx's own targets only (system headers are included with -isystem by their
# imported targets, so third-party code never breaks our -Werror build).
add_library(pmx_warnings INTERFACE)
target_compile_options(pmx_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                              -Wno-sign-conversion -Wnon-virtual-dtor)
if(PMX_WERROR)
  target_compile_options(pmx_warnings INTERFACE -Werror)
endif()
# GCC 12's -Wmaybe-uninitialized misfires on instrumented code (seen in libstdc++'s std::regex
# under -fsanitize=address at -O1). The release and debug builds keep it as an error.
if(CMAKE_CXX_FLAGS MATCHES "-fsanitize" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(pmx_warnings INTERFACE -Wno-maybe-uninitialized)
endif()
# TSan does not model std::atomic_thread_fence (GCC says so with -Wtsan). pmx's seqlocks, tape
# and control mailbox use fences, but every word they share is itself a relaxed atomic, so no
# non-atomic data relies on a fence for its ordering: TSan can neither miss a race nor report
# a false one there.
if(CMAKE_CXX_FLAGS MATCHES "-fsanitize=thread" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(pmx_warnings INTERFACE -Wno-tsan)
endif()

# pmx_add_module_tests(<module> libs...), called from tests/<module>/CMakeLists.txt: one
# GoogleTest binary, <module>_tests, from every *_test.cpp in that folder.
# PMX_TEST_SKIP_MODULES (a list, empty by default): modules whose test binaries this build does not
# make. The tsan preset sets it to the modules whose code and tests run on one thread only, where
# ThreadSanitizer has nothing to find: a new module is sanitized for threads unless listed there.
set(PMX_TEST_SKIP_MODULES "" CACHE STRING "Modules whose tests this build skips (tsan: single-threaded ones)")
# PMX_TEST_COMPILE_OPTIONS (a list, empty by default): extra options for the test sources only,
# appended after the build type's flags so they win. The release, asan and tsan presets set
# "-O1;-g1": the GoogleTest bodies are most of the build's compile time and -O2 with full debug
# info doubles it (measured on tests/core/decimal_test.cpp: 8.9 s of CPU at -O2 -g, 4.5 s at
# -O1 -g1), while the code under test lives in the pmx_* libraries, which keep the preset's flags.
# Line tables (-g1) are enough for sanitizer and gdb backtraces.
set(PMX_TEST_COMPILE_OPTIONS "" CACHE STRING "Extra compile options for test sources (presets: -O1;-g1)")

set(PMX_TEST_UNITY_BATCH 8 CACHE STRING "Test files per unity-build translation unit (0 or 1: none)")

function(pmx_add_module_tests module)
  # A skipped module's binary still exists as a target (its CMakeLists may add sources or
  # definitions to it) but is not built by default and registers no tests.
  set(_skip OFF)
  if(module IN_LIST PMX_TEST_SKIP_MODULES)
    set(_skip ON)
  endif()
  file(GLOB _sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  if(_skip)
    add_executable(${module}_tests EXCLUDE_FROM_ALL ${_sources})
  else()
    add_executable(${module}_tests ${_sources})
  endif()
  # Unity build: a module's test files compile PMX_TEST_UNITY_BATCH to a translation unit, so the
  # GoogleTest and project headers are parsed once per batch instead of once per file (measured
  # on six modules: 31 s of CPU instead of 69 s). Test files of one module therefore share one
  # anonymous namespace: helpers two files need live in the module's *_test_util.h header.
  if(PMX_TEST_UNITY_BATCH GREATER 1)
    set_target_properties(${module}_tests PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE ${PMX_TEST_UNITY_BATCH})
  endif()
  target_link_libraries(${module}_tests PRIVATE ${ARGN} GTest::gtest GTest::gtest_main pmx_warnings)
  target_compile_options(${module}_tests PRIVATE ${PMX_TEST_COMPILE_OPTIONS})
  target_compile_definitions(${module}_tests PRIVATE
    PMX_SHARED_DATA_DIR="${PROJECT_SOURCE_DIR}/../shared/data"
    PMX_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  if(NOT _skip)
    gtest_discover_tests(${module}_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
  endif()
endfunction()

# pmx_add_bench(<name> sources... LIBS libs...): a Google Benchmark program in build/<preset>/bench.
function(pmx_add_bench name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} benchmark::benchmark pmx_warnings)
  target_compile_definitions(${name} PRIVATE PMX_SHARED_DATA_DIR="${PROJECT_SOURCE_DIR}/../shared/data")
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PMX_BENCH_OUTPUT_DIRECTORY})
endfunction()
