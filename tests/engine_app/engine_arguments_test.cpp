#include "pmx/engine/app/engine_arguments.h"

#include <fstream>

#include <gtest/gtest.h>

#include "scratch_dir.h"

namespace pmx::app {
namespace {

const char* no_env(const char*) {
  return nullptr;
}

class EngineArgumentsTest : public ::testing::Test {
 protected:
  EngineArgumentsTest() {
    std::ofstream(config_path_) << "[engine]\ninstance = \"fromfile\"\ndatabase_path = \"file.db\"\n";
    add_engine_options(app_, arguments_);
  }
  void parse(std::vector<std::string> args) {
    args.insert(args.begin(), {"pmx-engine", "--config", config_path_.string()});
    std::vector<const char*> argv;
    for (const std::string& a : args)
      argv.push_back(a.c_str());
    app_.parse(static_cast<int>(argv.size()), argv.data());
  }

  test::ScratchDir dir_;
  std::filesystem::path config_path_ = dir_.file("engine.toml");
  CLI::App app_{"pmx-engine"};
  EngineArguments arguments_;
};

TEST_F(EngineArgumentsTest, HelpDocumentsEveryOption) {
  const std::string help = app_.help();
  for (const char* option :
       {"--config", "--instance", "--pin", "--live", "--db", "--set", "--tape-mib", "--duration", "--help"})
    EXPECT_NE(help.find(option), std::string::npos) << option;
}

TEST_F(EngineArgumentsTest, TheFileDecidesWhatTheCommandLineLeavesOut) {
  parse({});
  const Config config = resolve_config(arguments_, no_env);
  EXPECT_EQ(config.engine.instance, "fromfile");
  EXPECT_EQ(config.engine.database_path, "file.db");
  EXPECT_FALSE(arguments_.live);
}

TEST_F(EngineArgumentsTest, InstanceAndDatabaseOptionsOverrideTheFile) {
  parse({"--instance", "cli", "--db", "cli.db"});
  const Config config = resolve_config(arguments_, no_env);
  EXPECT_EQ(config.engine.instance, "cli");
  EXPECT_EQ(config.engine.database_path, "cli.db");
}

TEST_F(EngineArgumentsTest, SetOverridesOneKey) {
  parse({"--set", "risk.max_drawdown_pct=12", "--set", "grinding.enabled=false"});
  const Config config = resolve_config(arguments_, no_env);
  EXPECT_EQ(config.risk.max_drawdown_pct, 12.0);
  EXPECT_FALSE(config.grinding.enabled);
}

TEST_F(EngineArgumentsTest, ABadSetValueIsRefusedWithTheKeyNamed) {
  parse({"--set", "risk.max_drawdown_pct=150"});
  try {
    resolve_config(arguments_, no_env);
    FAIL() << "accepted an out-of-range value";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("risk.max_drawdown_pct"), std::string::npos) << e.what();
  }
}

TEST_F(EngineArgumentsTest, ASetWithoutEqualsIsRefused) {
  parse({"--set", "risk.max_drawdown_pct"});
  EXPECT_THROW(resolve_config(arguments_, no_env), ConfigError);
}

TEST_F(EngineArgumentsTest, PinIsValidatedAgainstTheMachine) {
  EXPECT_THROW(parse({"--pin", "feed=9999"}), CLI::ValidationError);
}

TEST_F(EngineArgumentsTest, TheConfigFileIsRequired) {
  CLI::App app{"pmx-engine"};
  EngineArguments arguments;
  add_engine_options(app, arguments);
  const char* argv[] = {"pmx-engine"};
  EXPECT_THROW(app.parse(1, argv), CLI::RequiredError);
}

}  // namespace
}  // namespace pmx::app
