// pmx-engine as a program: the demo trades within a minute and shuts down cleanly, the kill
// switch survives a restart until resumed, and start-up refusals are one line with an exit code.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "pmx/core/thread.h"
#include "pmx/persist/database.h"

#include "engine_processes.h"

namespace pmx::app::test {
namespace {

std::string last_line(const std::string& text) {
  const size_t end = text.find_last_not_of('\n');
  if (end == std::string::npos) return "";
  const size_t begin = text.rfind('\n', end);
  return text.substr(begin == std::string::npos ? 0 : begin + 1,
                     end - (begin == std::string::npos ? 0 : begin + 1) + 1);
}

TEST(EngineProgram, TheDemoTradesOnPaperWithinAMinuteAndSigtermExitsZeroWithTheTradesCommitted) {
  EngineWorld world(test_instance("demo"));
  ASSERT_TRUE(world.start_sim());
  ASSERT_TRUE(world.start_engine()) << world.engine_log();
  const bool traded = eventually(
      [&] {
        auto c = engine_counters(world.instance());
        return c["gateway.intents"] > 0 && c["gateway.fills"] > 0;
      },
      60s);
  ASSERT_TRUE(traded) << world.engine_log();
  const auto counters = engine_counters(world.instance());
  EXPECT_EQ(world.stop_engine(SIGTERM), 0) << world.engine_log();
  EXPECT_GE(query(world.database(), "SELECT count(*) FROM orders"),
            static_cast<int64_t>(counters.at("gateway.intents")));
  EXPECT_GE(query(world.database(), "SELECT count(*) FROM fills"), 1);
  // Every fill finds its order row: strategy intents, kill-switch closes and the gateway's own
  // unwind orders (bit 63: negative in SQLite) alike.
  EXPECT_EQ(query(world.database(), "SELECT count(*) FROM fills WHERE client_order_id IS NULL"), 0);
  EXPECT_EQ(query(world.database(), "SELECT value FROM system_state WHERE key = 'run_epoch'"), 1);
  EXPECT_EQ(query(world.database(), "SELECT count(*) FROM daily_snapshots"), 1) << "the final snapshot";
}

TEST(EngineProgram, AKillSurvivesARestartUntilResumed) {
  EngineWorld world(test_instance("kill"));
  ASSERT_TRUE(world.start_sim());
  ASSERT_TRUE(world.start_engine()) << world.engine_log();
  Child ctl({PMX_CTL, "--instance", world.instance(), "kill"}, world.config().parent_path() / "ctl.log");
  ASSERT_EQ(ctl.wait(), 0) << read_text(world.config().parent_path() / "ctl.log");
  ASSERT_EQ(world.stop_engine(), 0) << world.engine_log();
  EXPECT_EQ(query(world.database(), "SELECT value = '1' FROM system_state WHERE key = 'trading_halted'"), 1);

  ASSERT_TRUE(world.start_engine()) << world.engine_log();
  {
    shm::StateReader reader(world.instance());
    EXPECT_EQ(reader.header().status.load().halted, 1) << "restored from the database\n"
                                                       << world.engine_log();
  }
  EXPECT_NE(world.engine_log().find("trading is HALTED"), std::string::npos) << world.engine_log();
  Child resume({PMX_CTL, "--instance", world.instance(), "resume"}, world.config().parent_path() / "ctl.log");
  ASSERT_EQ(resume.wait(), 0) << read_text(world.config().parent_path() / "ctl.log");
  ASSERT_EQ(world.stop_engine(), 0) << world.engine_log();
  EXPECT_EQ(query(world.database(), "SELECT value FROM system_state WHERE key = 'trading_halted'"), 0);

  ASSERT_TRUE(world.start_engine()) << world.engine_log();
  shm::StateReader reader(world.instance());
  EXPECT_EQ(reader.header().status.load().halted, 0);
  EXPECT_EQ(world.stop_engine(), 0);
}

// The database writer thread ("pmx-ops") runs on the CPU `--pin ops=N` names.
TEST(EngineProgram, TheOpsRoleOfPinPinsTheDatabaseWriter) {
  const CpuSet allowed = allowed_cpus();
  ASSERT_FALSE(allowed.empty());
  const int cpu = allowed.cpus().back();
  EngineWorld world(test_instance("pinops"));
  ASSERT_TRUE(world.start_sim());
  ASSERT_TRUE(world.start_engine({"--pin", "ops=" + std::to_string(cpu)})) << world.engine_log();
  std::string ops_cpus;
  const std::filesystem::path tasks = "/proc/" + std::to_string(world.engine().pid()) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks)) {
    if (read_text(task.path() / "comm") != "pmx-ops\n") continue;
    const std::string status = read_text(task.path() / "status");
    const size_t at = status.find("Cpus_allowed_list:");
    ASSERT_NE(at, std::string::npos);
    const size_t begin = status.find_first_not_of(" \t", at + 18);
    ops_cpus = status.substr(begin, status.find('\n', begin) - begin);
  }
  EXPECT_EQ(ops_cpus, std::to_string(cpu)) << world.engine_log();
  EXPECT_EQ(world.stop_engine(), 0) << world.engine_log();
}

TEST(EngineProgram, ASecondEngineOnTheSameInstanceIsRefused) {
  EngineWorld world(test_instance("twice"));
  ASSERT_TRUE(world.start_sim());
  ASSERT_TRUE(world.start_engine()) << world.engine_log();
  const std::filesystem::path log = world.config().parent_path() / "second.log";
  Child second({PMX_ENGINE, "--config", world.config().string(), "--db",
                (world.config().parent_path() / "second.db").string(), "--tape-mib", "2"},
               log);
  EXPECT_EQ(second.wait(), 1);
  EXPECT_NE(last_line(read_text(log)).find(world.instance()), std::string::npos) << read_text(log);
  EXPECT_EQ(world.stop_engine(), 0);
}

TEST(EngineProgram, AnUnreachableVenueIsOneLineAndExitOne) {
  EngineWorld world(test_instance("novenue"));  // no simulator started
  const std::filesystem::path log = world.config().parent_path() / "engine.log";
  Child engine({PMX_ENGINE, "--config", world.config().string()}, log);
  EXPECT_EQ(engine.wait(), 1);
  const std::string text = read_text(log);
  EXPECT_NE(last_line(text).find("pmx-engine: market lists:"), std::string::npos) << text;
  EXPECT_EQ(text.find("terminate"), std::string::npos) << text;
}

TEST(EngineProgram, LiveWithoutCredentialsIsRefusedWithExitTwo) {
  EngineWorld world(test_instance("live"));
  const std::filesystem::path log = world.config().parent_path() / "engine.log";
  Child engine({PMX_ENGINE, "--config", world.config().string(), "--live"}, log);
  EXPECT_EQ(engine.wait(), 2);
  const std::string text = read_text(log);
  EXPECT_NE(text.find("KALSHI_API_KEY_ID"), std::string::npos) << text;
  EXPECT_EQ(text.find("started"), std::string::npos) << "refused before anything started: " << text;
}

TEST(EngineProgram, HelpDocumentsTheOptionsAndExitsZero) {
  ScratchDir dir;
  Child engine({PMX_ENGINE, "--help"}, dir.file("help.log"));
  EXPECT_EQ(engine.wait(), 0);
  const std::string text = read_text(dir.file("help.log"));
  for (const char* option :
       {"--config", "--instance", "--pin", "--live", "--db", "--set", "--tape-mib", "--duration"})
    EXPECT_NE(text.find(option), std::string::npos) << option;
}

}  // namespace
}  // namespace pmx::app::test
