// pmx-dash: the web dashboard of a pmx engine. Reads the engine's shared-memory state
// (read-only) and its SQLite database (read-only), writes only through the control mailbox.
//
//   pmx-dash [--instance NAME] [--config FILE] [--db PATH] [--port 8080] [--bind 127.0.0.1]
//            [--allow-non-loopback] [--assets DIR]
//
// Starts before the engine and waits for it; survives engine restarts. Controls need the token
// from PMX_DASH_TOKEN, or the one generated at start (written 0600 to <db>.dash-token and printed
// once as a URL whose fragment carries it). Exit codes: 0 on SIGINT/SIGTERM; 2 on a bad command
// line, configuration, address or token file.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <CLI/CLI.hpp>
#include <arpa/inet.h>
#include <signal.h>
#include <unistd.h>

#include "pmx/core/config.h"
#include "pmx/shm/segment.h"

#include "access_token.h"
#include "dash_server.h"

namespace {

constexpr int kUsage = 2;

bool is_loopback(const std::string& host) {
  if (host == "localhost") return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, host.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

std::filesystem::path default_assets() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path("pmx-dash-web") : exe.parent_path() / "pmx-dash-web";
}

std::string url_host(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "pmx-dash: web dashboard of a pmx engine (positions, opportunities, risk, history, latency, controls), "
      "served from its shared-memory state and database. Loopback only unless --allow-non-loopback."};
  std::string instance, config_file, database, bind, assets;
  int port = -1;  // -1: dashboard.port of the configuration
  bool allow_non_loopback = false;
  app.add_option("--instance", instance, "Engine instance (default: engine.instance of the configuration)")
      ->type_name("NAME");
  app.add_option("--config", config_file, "The engine's TOML configuration (validates /api/config)")
      ->type_name("FILE");
  app.add_option("--db", database, "The engine's SQLite database (default: engine.database_path)")
      ->type_name("PATH");
  app.add_option("--port", port, "TCP port (default: dashboard.port, 8080; 0: any free port, printed)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--bind", bind, "Address to listen on (default: dashboard.bind, 127.0.0.1)")
      ->type_name("ADDR");
  app.add_flag("--allow-non-loopback", allow_non_loopback,
               "Allow --bind to a non-loopback address (the dashboard has no TLS: put it behind one)");
  app.add_option("--assets", assets,
                 "Directory of the built web bundle (default: pmx-dash-web beside the program)")
      ->type_name("DIR");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : kUsage;
  }

  pmx::dash::DashOptions options;
  try {
    options.config = pmx::load_config(config_file);
  } catch (const pmx::ConfigError& e) {
    std::fprintf(stderr, "pmx-dash: %s\n", e.what());
    return kUsage;
  }
  options.instance = instance.empty() ? options.config.engine.instance : instance;
  options.database = database.empty() ? options.config.engine.database_path : database;
  options.assets = assets.empty() ? default_assets() : std::filesystem::path(assets);
  if (bind.empty()) bind = options.config.dashboard.bind;
  if (port < 0) port = options.config.dashboard.port;
  if (!pmx::shm::valid_instance_name(options.instance)) {
    std::fprintf(stderr, "pmx-dash: invalid instance name '%s': use 1-48 of [A-Za-z0-9_-]\n",
                 options.instance.c_str());
    return kUsage;
  }
  if (!is_loopback(bind)) {
    if (!allow_non_loopback) {
      std::fprintf(stderr,
                   "pmx-dash: refusing to listen on %s, which is not a loopback address: pass "
                   "--allow-non-loopback to do it anyway\n",
                   bind.c_str());
      return kUsage;
    }
    std::fprintf(
        stderr,
        "pmx-dash: WARNING: listening on %s, reachable from other machines; traffic (and the token) is "
        "not encrypted\n",
        bind.c_str());
  }

  // Block the stop signals before any thread starts, so that only sigwait() below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  try {
    const pmx::dash::AccessToken token = pmx::dash::AccessToken::from_environment_or_generate(
        std::getenv("PMX_DASH_TOKEN"), pmx::dash::token_file_for(options.database));
    pmx::dash::DashServer server(options, token);
    const int bound = server.bind(bind, port);
    if (!server.assets_present())
      std::fprintf(stderr,
                   "pmx-dash: web bundle missing in %s: pages will have no style, charts or live updates "
                   "(run scripts/install-deps.sh, then rebuild)\n",
                   server.options().assets.c_str());
    server.start();
    const std::string url = "http://" + url_host(bind) + ":" + std::to_string(bound) + "/";
    if (token.generated())
      std::fprintf(stderr, "pmx-dash: engine %s, database %s\npmx-dash: open %s#token=%s\n",
                   server.options().instance.c_str(), server.options().database.c_str(), url.c_str(),
                   token.value().c_str());
    else
      std::fprintf(stderr,
                   "pmx-dash: engine %s, database %s\npmx-dash: open %s (token from PMX_DASH_TOKEN)\n",
                   server.options().instance.c_str(), server.options().database.c_str(), url.c_str());
    std::fflush(stderr);
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    server.stop();
    std::fprintf(stderr, "pmx-dash: stopped\n");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pmx-dash: %s\n", e.what());
    return kUsage;
  }
}
