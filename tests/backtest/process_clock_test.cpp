// No process clock on the replay path: this test binary interposes clock_gettime (the call under
// std::chrono and pmx::wall_now/mono_now) and, while `scrambled` is set, answers every read with a
// different wild time. A replay that read any clock would decide differently; its report must not
// change by a byte.
#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pmx/backtest/backtest_run.h"
#include "pmx/backtest/report_json.h"
#include "pmx/core/clock.h"

#include "synthetic_session.h"

namespace {
std::atomic<bool> scrambled{false};
std::atomic<int64_t> scrambled_reads{0};
}  // namespace

extern "C" int clock_gettime(clockid_t clock, struct timespec* ts) noexcept {
  if (!scrambled.load(std::memory_order_relaxed))
    return static_cast<int>(::syscall(SYS_clock_gettime, clock, ts));
  const int64_t n = scrambled_reads.fetch_add(1, std::memory_order_relaxed);
  ts->tv_sec = static_cast<time_t>(1'000'000 + (n * 7'919) % 104'729 * 86'400);
  ts->tv_nsec = static_cast<long>((n * 104'723) % 1'000'000'000);
  return 0;
}

namespace pmx {
namespace {

TEST(ProcessClock, ScrambledProcessClocksLeaveTheReportUnchanged) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("pmx_backtest_clock_" + std::to_string(::getpid()) + ".capture");
  test::write_capture(path, test::bundle_session(12, 600LL * 1'000'000'000));
  const MarketUniverse universe = test::bundle_universe();
  BacktestOptions options;
  options.captures = {{path.string(), std::nullopt}};
  const std::string plain = report_to_json(run_backtest(test::bundle_config(), universe, nullptr, options));

  scrambled.store(true);
  const std::string scrambled_run =
      report_to_json(run_backtest(test::bundle_config(), universe, nullptr, options));
  scrambled.store(false);
  std::filesystem::remove(path);

  EXPECT_NE(plain.find("bundle_arb"), std::string::npos);
  EXPECT_EQ(scrambled_run, plain);
}

TEST(ProcessClock, InterpositionIsInEffect) {
  // Guards the test above: if the interposed function were not the one called, it would prove nothing.
  scrambled.store(true);
  const WallNanos a = wall_now();
  const WallNanos b = wall_now();
  const MonoNanos c = mono_now();
  const auto d = std::chrono::system_clock::now().time_since_epoch().count();
  const auto e = std::chrono::system_clock::now().time_since_epoch().count();
  scrambled.store(false);
  EXPECT_GT(b.ns - a.ns, 86'400LL * 1'000'000'000) << "pmx::wall_now reads the interposed clock";
  EXPECT_NE(c.ns, b.ns);
  EXPECT_GT(std::chrono::abs(std::chrono::system_clock::duration(e - d)), std::chrono::hours(1))
      << "std::chrono reads it too";
}

}  // namespace
}  // namespace pmx
