#include "pmx/core/thread.h"

#include <cerrno>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>

namespace pmx {
namespace {

// A fixed machine for the parser: CPUs 0-3 exist, the process may use 0-2.
const CpuSet kOnline{0, 1, 2, 3};
const CpuSet kAllowed{0, 1, 2};

std::string pin_error(std::string_view spec) {
  return parse_pin_spec(spec, kAllowed, kOnline).error;
}

// Runs `body` on a fresh thread so the test process's own threads keep their settings.
template <class F>
void on_new_thread(F body) {
  std::thread t(body);
  t.join();
}

// ---- CpuSet ----

TEST(ThreadCpuSet, PrintsRangesCollapsed) {
  EXPECT_EQ(CpuSet({0, 1, 2, 3, 6, 8, 9}).to_string(), "0-3,6,8-9");
  EXPECT_EQ(CpuSet({1}).to_string(), "1");
  EXPECT_EQ(CpuSet{}.to_string(), "none");
}

TEST(ThreadCpuSet, ParsesKernelCpuLists) {
  CpuSet s;
  ASSERT_TRUE(parse_cpu_list("0-3,6\n", s));
  EXPECT_EQ(s, CpuSet({0, 1, 2, 3, 6}));
  EXPECT_FALSE(parse_cpu_list("3-1", s));
  EXPECT_FALSE(parse_cpu_list("a", s));
  EXPECT_FALSE(parse_cpu_list("", s));
}

TEST(ThreadCpuSet, AllowedCpusAreNonEmptyAndOnline) {
  const CpuSet allowed = allowed_cpus();
  const CpuSet online = online_cpus();
  ASSERT_FALSE(allowed.empty());
  for (int c : allowed.cpus())
    EXPECT_TRUE(online.contains(c)) << c;
}

// ---- Pin spec parsing ----

TEST(PinSpec, EmptySpecMeansNoPinning) {
  PinSpecResult r = parse_pin_spec("", kAllowed, kOnline);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.plan.empty());
  EXPECT_EQ(r.plan.cpu_for(PinRole::strategy), PinPlan::kUnpinned);
}

TEST(PinSpec, ParsesEveryRole) {
  PinSpecResult r =
      parse_pin_spec("feed.kalshi=0, feed.polymarket=1,strategy=2,gateway=1,ops=0", kAllowed, kOnline);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.plan.cpu_for_feed(Venue::kalshi), 0);
  EXPECT_EQ(r.plan.cpu_for_feed(Venue::polymarket), 1);
  EXPECT_EQ(r.plan.cpu_for(PinRole::strategy), 2);
  EXPECT_EQ(r.plan.cpu_for(PinRole::gateway), 1);
  EXPECT_EQ(r.plan.cpu_for(PinRole::ops), 0);
}

TEST(PinSpec, FeedCoversBothVenuesAndAVenueRoleOverridesIt) {
  PinSpecResult r = parse_pin_spec("feed=1,feed.kalshi=2", kAllowed, kOnline);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.plan.cpu_for_feed(Venue::kalshi), 2);
  EXPECT_EQ(r.plan.cpu_for_feed(Venue::polymarket), 1);
}

TEST(PinSpec, AllowsSeveralRolesOnOneCpu) {
  PinSpecResult r = parse_pin_spec("feed=1,strategy=1,gateway=0", kAllowed, kOnline);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.plan.cpu_for(PinRole::feed), 1);
  EXPECT_EQ(r.plan.cpu_for(PinRole::strategy), 1);
}

TEST(PinSpec, CanonicalTextParsesBackToTheSamePlan) {
  PinSpecResult r = parse_pin_spec(" gateway=2 ,feed=1 ", kAllowed, kOnline);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.plan.to_string(), "feed=1,gateway=2");
  EXPECT_EQ(parse_pin_spec(r.plan.to_string(), kAllowed, kOnline).plan, r.plan);
}

TEST(PinSpec, RefusesAnUnknownRoleListingTheAllowedOnes) {
  EXPECT_EQ(
      pin_error("feed=1,strat=2"),
      "strat=2: unknown role \"strat\" (roles: feed, feed.kalshi, feed.polymarket, strategy, gateway, ops)");
}

TEST(PinSpec, RefusesADuplicateRole) {
  EXPECT_EQ(pin_error("strategy=1,strategy=2"), "strategy=2: role \"strategy\" is given twice");
}

TEST(PinSpec, RefusesANonIntegerCpu) {
  EXPECT_EQ(pin_error("feed=one"), "feed=one: cpu \"one\" is not a non-negative integer");
  EXPECT_EQ(pin_error("feed=-1"), "feed=-1: cpu \"-1\" is not a non-negative integer");
  EXPECT_EQ(pin_error("feed=1.5"), "feed=1.5: cpu \"1.5\" is not a non-negative integer");
  EXPECT_EQ(pin_error("feed=99999999999"),
            "feed=99999999999: cpu \"99999999999\" is not a non-negative integer");
}

TEST(PinSpec, RefusesACpuThatDoesNotExist) {
  EXPECT_EQ(pin_error("feed=7"), "feed=7: cpu 7 does not exist: this machine has CPUs 0-3");
}

TEST(PinSpec, RefusesACpuOutsideTheAffinityMask) {
  EXPECT_EQ(pin_error("gateway=3"),
            "gateway=3: cpu 3 is not in this process's CPU affinity mask (allowed: 0-2)");
}

TEST(PinSpec, RefusesEmptyParts) {
  EXPECT_EQ(pin_error("feed=1,,strategy=2"),
            "empty entry in pin spec \"feed=1,,strategy=2\": expected role=cpu[,role=cpu...]");
  EXPECT_EQ(pin_error("feed=1,"), "empty entry in pin spec \"feed=1,\": expected role=cpu[,role=cpu...]");
  EXPECT_EQ(pin_error("feed="), "feed=: cpu \"\" is not a non-negative integer");
  EXPECT_EQ(pin_error("=1"), "=1: missing role before '='");
  EXPECT_EQ(pin_error("feed"), "feed: expected role=cpu");
}

TEST(PinSpec, AFailedParseReturnsAnEmptyPlan) {
  PinSpecResult r = parse_pin_spec("feed=1,ops=9", kAllowed, kOnline);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.plan.empty());
}

// ---- Thread calls on a real thread ----

TEST(ThreadPin, PinsTheCallingThreadToAnAllowedCpu) {
  const int cpu = allowed_cpus().cpus().back();
  on_new_thread([cpu] {
    ThreadStatus s = pin_current_thread(cpu);
    ASSERT_TRUE(s.ok()) << s.message;
    cpu_set_t mask;
    CPU_ZERO(&mask);
    ASSERT_EQ(pthread_getaffinity_np(pthread_self(), sizeof(mask), &mask), 0);
    EXPECT_EQ(CPU_COUNT(&mask), 1);
    EXPECT_TRUE(CPU_ISSET(cpu, &mask));
  });
}

TEST(ThreadPin, RefusesACpuNumberOutOfRange) {
  ThreadStatus s = pin_current_thread(-1);
  EXPECT_EQ(s.code, std::errc::invalid_argument);
  EXPECT_EQ(s.message, "cannot pin to cpu -1: cpu numbers run from 0 to 1023");
}

TEST(ThreadPin, PinningDoesNotNarrowTheProcessAllowedCpus) {
  const CpuSet before = allowed_cpus();
  on_new_thread([&] { ASSERT_TRUE(pin_current_thread(before.cpus().front()).ok()); });
  EXPECT_EQ(allowed_cpus(), before);
}

TEST(ThreadName, RoundTripsThroughPthreadGetname) {
  on_new_thread([] {
    ThreadStatus s = set_current_thread_name("pmx-strategy");
    ASSERT_TRUE(s.ok()) << s.message;
    char buf[32] = {};
    ASSERT_EQ(pthread_getname_np(pthread_self(), buf, sizeof(buf)), 0);
    EXPECT_STREQ(buf, "pmx-strategy");
  });
}

TEST(ThreadName, AcceptsExactlyFifteenBytes) {
  on_new_thread([] { EXPECT_TRUE(set_current_thread_name("feed.polymarket").ok()); });
}

TEST(ThreadName, RefusesANameLongerThanFifteenBytes) {
  ThreadStatus s = set_current_thread_name("pmx-feed-polymarket");
  EXPECT_EQ(s.code, std::errc::result_out_of_range);
  EXPECT_EQ(s.message, "thread name \"pmx-feed-polymarket\" is 19 bytes: Linux allows at most 15");
}

TEST(ThreadFifo, RefusesAPriorityOutsideOneToNinetyNine) {
  for (int p : {0, 100}) {
    ThreadStatus s = set_current_thread_fifo(p);
    EXPECT_EQ(s.code, std::errc::invalid_argument);
    EXPECT_EQ(s.message, "SCHED_FIFO priority " + std::to_string(p) + " is out of range: must be 1..99");
  }
}

TEST(ThreadFifo, EitherSucceedsOrExplainsTheMissingPrivilege) {
  on_new_thread([] {
    ThreadStatus s = set_current_thread_fifo(1);
    if (s.ok()) {
      int policy = 0;
      sched_param param{};
      ASSERT_EQ(pthread_getschedparam(pthread_self(), &policy, &param), 0);
      EXPECT_EQ(policy, SCHED_FIFO);
      EXPECT_EQ(param.sched_priority, 1);
    } else {
      EXPECT_EQ(s.code, std::errc::operation_not_permitted);
      EXPECT_NE(s.message.find("CAP_SYS_NICE"), std::string::npos) << s.message;
    }
  });
}

}  // namespace
}  // namespace pmx
