// pmx-ctl against pmx-shm-writer: every command is acknowledged, refused or timed out with the
// documented exit code and message.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "pmx/shm/snapshot.h"

#include "tool_process.h"

namespace pmx::tools_test {
namespace {

shm::Snapshot snapshot_of(const std::string& instance) {
  shm::StateReader reader(instance);
  return shm::take_snapshot(reader);
}

Output ctl(const std::string& instance, std::vector<std::string> args) {
  std::vector<std::string> argv = {PMX_CTL, "--instance", instance};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv);
}

TEST(PmxCtl, KillHaltsWithTheReasonAndResumeClearsIt) {
  Writer writer(test_instance());
  ASSERT_TRUE(writer.wait_ready());

  const Output kill = ctl(writer.instance(), {"kill"});
  EXPECT_EQ(kill.exit_code, 0) << kill.err;
  EXPECT_NE(kill.out.find("halted"), std::string::npos) << kill.out;
  shm::Snapshot s = snapshot_of(writer.instance());  // acknowledged: the status is published
  EXPECT_TRUE(s.engine.halted);
  EXPECT_EQ(s.engine.halt_reason.rfind("kill switch from ", 0), 0u) << s.engine.halt_reason;
  EXPECT_NE(s.tripped_breakers().size(), 0u);

  const Output status = ctl(writer.instance(), {"status", "--json"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  const boost::json::value doc = boost::json::parse(status.out);
  EXPECT_TRUE(doc.at("engine").at("halted").as_bool());
  EXPECT_EQ(std::string(doc.at("engine").at("halt_reason").as_string().c_str()).rfind("kill switch from ", 0),
            0u);

  const Output resume = ctl(writer.instance(), {"resume"});
  EXPECT_EQ(resume.exit_code, 0) << resume.err;
  EXPECT_NE(resume.out.find("resumed"), std::string::npos) << resume.out;
  EXPECT_FALSE(snapshot_of(writer.instance()).engine.halted);

  const Output text = ctl(writer.instance(), {"status"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("trading: not halted"), std::string::npos) << text.out;
  EXPECT_EQ(writer.stop(), 0) << "SIGTERM exits cleanly";
  EXPECT_FALSE(engine_ready(writer.instance())) << "the writer removed its segments";
}

TEST(PmxCtl, KillCanClosePositions) {
  Writer writer(test_instance());
  ASSERT_TRUE(writer.wait_ready());
  const Output kill = ctl(writer.instance(), {"kill", "--close-positions"});
  EXPECT_EQ(kill.exit_code, 0) << kill.err;
  EXPECT_NE(kill.out.find("closing"), std::string::npos) << kill.out;
  EXPECT_TRUE(snapshot_of(writer.instance()).positions.empty());
}

TEST(PmxCtl, SetsRuntimeKeysAndRefusesOthers) {
  Writer writer(test_instance());
  ASSERT_TRUE(writer.wait_ready());

  const Output ok = ctl(writer.instance(), {"set", "risk.max_drawdown_pct=12"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("risk.max_drawdown_pct = 12"), std::string::npos) << ok.out;

  const Output not_runtime = ctl(writer.instance(), {"set", "engine.instance=x"});
  EXPECT_EQ(not_runtime.exit_code, 1);
  EXPECT_NE(not_runtime.err.find("refused: engine.instance is not a runtime key"), std::string::npos)
      << not_runtime.err;

  const Output bad_value = ctl(writer.instance(), {"set", "risk.max_drawdown_pct=150"});
  EXPECT_EQ(bad_value.exit_code, 1);
  EXPECT_NE(bad_value.err.find("risk.max_drawdown_pct = 150: must be"), std::string::npos) << bad_value.err;

  const Output unknown = ctl(writer.instance(), {"set", "risk.nope=1"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("unknown key"), std::string::npos) << unknown.err;
}

TEST(PmxCtl, LiveModeIsRefusedUnlessAllowed) {
  Writer writer(test_instance());
  ASSERT_TRUE(writer.wait_ready());
  const Output live = ctl(writer.instance(), {"mode", "live"});
  EXPECT_EQ(live.exit_code, 1);
  EXPECT_NE(live.err.find("refused: live mode needs"), std::string::npos) << live.err;
  EXPECT_EQ(snapshot_of(writer.instance()).engine.mode, shm::TradingMode::paper);
  const Output paper = ctl(writer.instance(), {"mode", "paper"});
  EXPECT_EQ(paper.exit_code, 0) << paper.err;
}

TEST(PmxCtl, LiveModeIsAppliedWhenTheEngineAllowsIt) {
  Writer writer(test_instance(), {"--allow-live"});
  ASSERT_TRUE(writer.wait_ready());
  const Output live = ctl(writer.instance(), {"mode", "live"});
  EXPECT_EQ(live.exit_code, 0) << live.err;
  EXPECT_EQ(snapshot_of(writer.instance()).engine.mode, shm::TradingMode::live);
}

TEST(PmxCtl, NoAcknowledgementFromAStoppedEngineIsExit3) {
  Writer writer(test_instance());
  ASSERT_TRUE(writer.wait_ready());
  ASSERT_EQ(::kill(writer.pid(), SIGSTOP), 0);
  const Output stuck = ctl(writer.instance(), {"--timeout", "1", "resume"});
  ::kill(writer.pid(), SIGCONT);
  EXPECT_EQ(stuck.exit_code, 3);
  EXPECT_NE(stuck.err.find("no acknowledgement from engine " + writer.instance() + " within 1s"),
            std::string::npos)
      << stuck.err;
  // The engine catches up with the late command and the mailbox keeps working.
  const Output after = ctl(writer.instance(), {"resume"});
  EXPECT_EQ(after.exit_code, 0) << after.err;
}

TEST(PmxCtl, ASecondWriterOnTheSameInstanceExits2) {
  Writer writer(test_instance());
  ASSERT_TRUE(writer.wait_ready());
  const Output second = run({PMX_SHM_WRITER, "--instance", writer.instance(), "--duration", "5"});
  EXPECT_EQ(second.exit_code, 2);
  EXPECT_NE(second.err.find("already run by engine pid " + std::to_string(writer.pid())), std::string::npos)
      << second.err;
  EXPECT_TRUE(engine_ready(writer.instance())) << "the first writer is unaffected";
}

TEST(PmxCtl, NoEngineIsExit2) {
  const Output none = ctl(test_instance(), {"kill"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("no engine " + test_instance()), std::string::npos) << none.err;
  const Output status = ctl(test_instance(), {"status"});
  EXPECT_EQ(status.exit_code, 2);
}

TEST(PmxCtl, WriterHelpNamesItselfAStandIn) {
  const Output help = run({PMX_SHM_WRITER, "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("the test writer until the engine exists"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace pmx::tools_test
