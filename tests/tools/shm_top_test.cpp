// shm-top against pmx-shm-writer: --json and --once snapshots, the no-engine exit, and the
// interactive screen in a real 80x24 terminal (tmux).
#include <cstdlib>
#include <new>

#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "pmx/shm/snapshot.h"

#include "tool_process.h"

namespace pmx::tools_test {
namespace {

namespace json = boost::json;

TEST(ShmTop, JsonSnapshotOfARunningEngineHasLiveValues) {
  Writer writer(test_instance());
  ASSERT_TRUE(writer.wait_ready());
  json::value doc;
  const bool live = eventually([&] {
    const Output out = run({PMX_SHM_TOP, "--instance", writer.instance(), "--once", "--json"});
    if (out.exit_code != 0) return false;
    doc = json::parse(out.out);
    return doc.at("counters").at("kalshi.messages_in").to_number<uint64_t>() > 0 &&
           doc.at("latency_ns").at("feed_parse").at("count").to_number<uint64_t>() > 0;
  });
  ASSERT_TRUE(live) << json::serialize(doc);
  for (const char* key : {"instance", "engine", "counters", "latency_ns", "rings", "books", "positions",
                          "pnl", "risk", "threads", "opportunities", "orders"})
    EXPECT_TRUE(doc.as_object().contains(key)) << key;
  EXPECT_EQ(doc.at("instance").as_string(), writer.instance());
  EXPECT_EQ(doc.at("engine").at("pid").to_number<int64_t>(), writer.pid());
  for (const char* key : {"pid", "mode", "uptime_s", "heartbeat_age_ms", "halted", "halt_reason"})
    EXPECT_TRUE(doc.at("engine").as_object().contains(key)) << key;
  for (const char* key : {"capital", "realized", "unrealized", "drawdown_pct"})
    EXPECT_TRUE(doc.at("pnl").as_object().contains(key)) << key;
  EXPECT_EQ(doc.at("latency_ns").as_object().size(), shm::kStageCount);
  const json::object& ring = doc.at("rings").at("kalshi->strategy").as_object();
  EXPECT_EQ(ring.at("capacity").to_number<uint64_t>(), 65536u);
  ASSERT_FALSE(doc.at("books").as_array().empty());
  const json::object& book = doc.at("books").at(0).as_object();
  for (const char* key :
       {"venue", "instrument", "bid", "bid_size", "ask", "ask_size", "fair_value", "updated_ns"})
    EXPECT_TRUE(book.contains(key)) << key;
  const double bid = book.at("bid").to_number<double>();
  EXPECT_GT(bid, 0.0);
  EXPECT_LT(bid, 1.0) << "prices are in dollars";
}

TEST(ShmTop, OncePrintsAPlainTextSnapshot) {
  Writer writer(test_instance(), {"--markets", "1"});
  ASSERT_TRUE(writer.wait_ready());
  // Ready means the segment exists; the writer's first book row may land a moment later.
  Output out;
  const bool has_book = eventually([&] {
    out = run({PMX_SHM_TOP, "--instance", writer.instance(), "--once"});
    return out.exit_code == 0 && out.out.find("KXFEDDECISION-26JAN-H0") != std::string::npos;
  });
  EXPECT_TRUE(has_book) << out.err << out.out;
  EXPECT_EQ(out.exit_code, 0) << out.err;
  EXPECT_NE(out.out.find("latency"), std::string::npos) << out.out;
}

TEST(ShmTop, WithoutAnEngineJsonAndOnceExit2) {
  const Output json_out = run({PMX_SHM_TOP, "--instance", test_instance(), "--json"});
  EXPECT_EQ(json_out.exit_code, 2);
  EXPECT_NE(json_out.err.find("no engine " + test_instance()), std::string::npos) << json_out.err;
  EXPECT_TRUE(json_out.out.empty());
  const Output once = run({PMX_SHM_TOP, "--instance", test_instance(), "--once"});
  EXPECT_EQ(once.exit_code, 2);
}

TEST(ShmTop, AnotherLayoutVersionIsRefusedWithTheSegmentErrorMessage) {
  namespace bip = boost::interprocess;
  const std::string name = shm::state_segment_name(test_instance()).substr(1);
  bip::shared_memory_object segment(bip::create_only, name.c_str(), bip::read_write);
  segment.truncate(sizeof(shm::SegmentHeader));
  bip::mapped_region region(segment, bip::read_write);
  auto* header = ::new (region.get_address()) shm::SegmentHeader{};
  header->layout_version = 99;
  header->total_bytes = sizeof(shm::SegmentHeader);
  header->magic.store(shm::kStateMagic);
  for (const char* mode : {"--json", "--once"}) {
    const Output out = run({PMX_SHM_TOP, "--instance", test_instance(), mode});
    EXPECT_EQ(out.exit_code, 2) << mode;
    EXPECT_NE(out.err.find("layout version 99"), std::string::npos) << out.err;
  }
  const Output ctl = run({PMX_CTL, "--instance", test_instance(), "status"});
  EXPECT_EQ(ctl.exit_code, 2);
  EXPECT_NE(ctl.err.find("layout version 99"), std::string::npos) << ctl.err;
  bip::shared_memory_object::remove(name.c_str());
}

// ---- the interactive screen, in tmux -------------------------------------------------------

bool have_tmux() {
  return std::system("command -v tmux >/dev/null 2>&1") == 0;
}

// A private tmux server (its own socket) holding one 80x24 session that runs `command`.
class TmuxSession {
 public:
  explicit TmuxSession(const std::string& name) : socket_("pmx-" + name), name_(name) {}
  ~TmuxSession() { tmux({"kill-server"}); }

  bool start(const std::string& command) {
    return tmux({"new-session", "-d", "-x", "80", "-y", "24", "-s", name_, command}).exit_code == 0;
  }
  std::string screen() { return tmux({"capture-pane", "-p", "-t", name_}).out; }
  bool wait_for(const std::vector<std::string>& texts) {
    return eventually([&] {
      const std::string s = screen();
      for (const std::string& t : texts)
        if (s.find(t) == std::string::npos) return false;
      return true;
    });
  }
  void keys(const std::string& keys) { tmux({"send-keys", "-t", name_, keys}); }
  bool running() { return tmux({"has-session", "-t", name_}).exit_code == 0; }

 private:
  Output tmux(std::vector<std::string> args) {
    std::vector<std::string> argv = {"/usr/bin/env", "tmux", "-L", socket_};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, 10s);
  }

  std::string socket_;
  std::string name_;
};

TEST(ShmTopScreen, ShowsTheEngineIn80x24AndQuitsOnQ) {
  if (!have_tmux()) GTEST_SKIP() << "tmux is not installed";
  Writer writer(test_instance(), {"--markets", "1"});
  ASSERT_TRUE(writer.wait_ready());
  TmuxSession tmux(writer.instance());
  ASSERT_TRUE(tmux.start(std::string(PMX_SHM_TOP) + " --instance " + writer.instance()));
  EXPECT_TRUE(tmux.wait_for({"THREADS", "RINGS", "LATENCY", "COUNTERS", "MARKETS", "P&L", "RISK",
                             "KXFEDDECISION-26JAN-H0", "TRADING"}))
      << tmux.screen();
  tmux.keys("s");
  EXPECT_TRUE(tmux.wait_for({"by edge"})) << tmux.screen();
  tmux.keys("q");
  EXPECT_TRUE(eventually([&] { return !tmux.running(); })) << "q quits: " << tmux.screen();
}

TEST(ShmTopScreen, KillSwitchNeedsConfirmationThenHaltsTheEngine) {
  if (!have_tmux()) GTEST_SKIP() << "tmux is not installed";
  Writer writer(test_instance(), {"--markets", "1"});
  ASSERT_TRUE(writer.wait_ready());
  TmuxSession tmux(writer.instance());
  ASSERT_TRUE(tmux.start(std::string(PMX_SHM_TOP) + " --instance " + writer.instance()));
  ASSERT_TRUE(tmux.wait_for({"KXFEDDECISION-26JAN-H0"})) << tmux.screen();

  tmux.keys("k");
  ASSERT_TRUE(tmux.wait_for({"KILL SWITCH: halt trading now? [y/N]"})) << tmux.screen();
  tmux.keys("n");
  ASSERT_TRUE(tmux.wait_for({"kill switch cancelled"})) << tmux.screen();
  EXPECT_FALSE(shm::take_snapshot(shm::StateReader(writer.instance())).engine.halted);

  tmux.keys("k");
  ASSERT_TRUE(tmux.wait_for({"KILL SWITCH"})) << tmux.screen();
  tmux.keys("y");
  EXPECT_TRUE(tmux.wait_for({"kill ok: halted", "HALTED: kill switch from"})) << tmux.screen();
  EXPECT_TRUE(shm::take_snapshot(shm::StateReader(writer.instance())).engine.halted);
  tmux.keys("q");
  EXPECT_TRUE(eventually([&] { return !tmux.running(); }));
}

TEST(ShmTopScreen, WaitsForTheEngineAndReattachesAfterARestart) {
  if (!have_tmux()) GTEST_SKIP() << "tmux is not installed";
  const std::string instance = test_instance();
  TmuxSession tmux(instance);
  ASSERT_TRUE(tmux.start(std::string(PMX_SHM_TOP) + " --instance " + instance));
  EXPECT_TRUE(tmux.wait_for({"waiting for engine " + instance + "..."})) << tmux.screen();
  {
    Writer first(instance, {"--markets", "1"});
    ASSERT_TRUE(first.wait_ready());
    EXPECT_TRUE(tmux.wait_for({"pid " + std::to_string(first.pid()), "KXFEDDECISION-26JAN-H0"}))
        << tmux.screen();
  }
  Writer second(instance, {"--markets", "1"});
  ASSERT_TRUE(second.wait_ready());
  EXPECT_TRUE(tmux.wait_for({"pid " + std::to_string(second.pid())})) << tmux.screen();
  tmux.keys("q");
  EXPECT_TRUE(eventually([&] { return !tmux.running(); }));
}

}  // namespace
}  // namespace pmx::tools_test
