// pmx-venue-sim: a loopback WebSocket server that speaks Kalshi's and Polymarket's market-data
// protocols, replays captured frames and injects faults, so feed handlers and the engine can be
// tested without a venue. See --help.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <unistd.h>

#include "pmx/core/config.h"
#include "pmx/net/ws_url.h"

#include "capture_source.h"
#include "sim_server.h"
#include "tls_cert.h"

namespace {

constexpr const char* kDescription =
    R"(pmx-venue-sim: loopback Kalshi + Polymarket market-data WebSocket venue.

Venues (paths on every listener, or exactly the URLs of --config):
  Kalshi      /trade-api/ws/v2  handshake auth (KALSHI-ACCESS-KEY/-TIMESTAMP/-SIGNATURE, RSA-PSS
              over timestamp_ms+"GET"+path) checked against --kalshi-public-key: a missing or
              invalid signature gets HTTP 401 at the upgrade. Commands: subscribe (-> subscribed
              with a sid), unsubscribe, list_subscriptions, get_snapshot (also update_subscription
              action get_snapshot; the snapshot is rebuilt from the book replayed so far). Replayed
              frames get the subscription's sid and its own running seq.
  Polymarket  /ws/market        {"assets_ids":[...],"type":"market"} subscribes (an empty list
              means every asset), {"operation":"unsubscribe",...} unsubscribes, text PING -> PONG.

Data: --capture FILE replays frames (lines "<receive_ts_ns>\t<venue>\t<frame>", or bare frames
one per line with --venue), each venue's frames to that venue's subscribers, from the start for
every new connection, once the connection has subscribed. A seeded synthetic market generator is
planned as a second data source (extension point: FrameSource in tools/pmx-venue-sim/
capture_source.h); it is not implemented yet.

Faults count replayed data frames per connection (n = 1, 2, ...): --drop-every N skips frame n
when N divides n (its seq is used up: a gap), --duplicate-every N sends it twice,
--malformed-every N sends its first half, --disconnect-after N closes the connection (code 1001)
after N frames, on every connection; --delay-ms N waits N ms before every frame.

Output: one line "listening on ws://HOST:PORT" (wss:// with TLS) per listener on stdout, first
thing, then "certificate PATH" when TLS is on. SIGINT/SIGTERM exit 0.)";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool is_loopback(const std::string& bind) {
  return bind == "127.0.0.1" || bind == "::1" || bind == "localhost" || bind.starts_with("127.");
}

// Adds `url`'s host:port/path to the listeners, merging routes that share a host and port.
void add_config_route(std::vector<pmx::sim::ListenerSpec>& listeners, const std::string& url_text,
                      pmx::Venue venue, bool allow_non_loopback) {
  std::string error;
  auto url = pmx::net::parse_ws_url(url_text, &error);
  if (!url) throw std::runtime_error("--config: " + error);
  std::string bind = url->host == "localhost" ? "127.0.0.1" : url->host;
  if (!is_loopback(bind) && !allow_non_loopback) {
    throw std::runtime_error("--config: " + url_text +
                             " is not a loopback address; pass --allow-non-loopback");
  }
  const std::string path(url->path());
  for (auto& l : listeners) {
    if (l.bind == bind && l.port == url->port) {
      if (l.tls != url->tls) throw std::runtime_error("--config: ws:// and wss:// on one port: " + url_text);
      l.routes.push_back({path, venue});
      return;
    }
  }
  listeners.push_back({bind, url->port, url->tls, {{path, venue}}});
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{kDescription, "pmx-venue-sim"};
  std::vector<std::string> captures;
  std::string venue_name;
  std::string pace_name = "max";
  std::string config_path;
  std::string bind = "127.0.0.1";
  bool allow_non_loopback = false;
  int port = 0;
  bool tls = false;
  std::string cert_file;
  std::string key_file;
  std::string cert_dir;
  std::string kalshi_public_key;
  pmx::sim::ServerOptions options;
  uint64_t drop_every = 0;
  uint64_t duplicate_every = 0;
  uint64_t malformed_every = 0;
  uint64_t disconnect_after = 0;
  int delay_ms = 0;

  app.add_option("--capture", captures, "Capture file to replay (repeatable; frames in file order)")
      ->check(CLI::ExistingFile);
  app.add_option("--venue", venue_name, "Venue of bare frames in the capture files: kalshi | polymarket")
      ->check(CLI::IsMember({"kalshi", "polymarket"}));
  app.add_option("--pace", pace_name,
                 "recorded (keep the capture's gaps between frames) | max (as fast as written)")
      ->check(CLI::IsMember({"recorded", "max"}))
      ->capture_default_str();
  app.add_option("--port", port, "Port of the one listener; 0 picks a free one (printed)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option("--bind", bind, "Address to listen on")->capture_default_str();
  app.add_flag("--allow-non-loopback", allow_non_loopback,
               "Allow --bind / --config addresses other than loopback");
  app.add_flag("--tls", tls, "Serve wss:// (self-signed certificate generated at start unless --cert/--key)");
  app.add_option("--cert", cert_file, "PEM certificate chain for --tls")->check(CLI::ExistingFile);
  app.add_option("--key", key_file, "PEM private key for --tls")->check(CLI::ExistingFile);
  app.add_option(
      "--cert-dir", cert_dir,
      "Where the generated certificate goes (default: a fresh /tmp/pmx-venue-sim-* removed at exit)");
  app.add_option(
         "--config", config_path,
         "Engine TOML: listen exactly at [venues.kalshi]/[venues.polymarket] ws_url (wss:// turns TLS on); "
         "replaces --port/--bind")
      ->check(CLI::ExistingFile);
  app.add_option(
         "--kalshi-public-key", kalshi_public_key,
         "PEM public key the Kalshi handshake must be signed with; without it any upgrade is accepted")
      ->check(CLI::ExistingFile);
  app.add_option("--kalshi-max-skew-ms", options.kalshi_max_skew_ms,
                 "Largest |now - KALSHI-ACCESS-TIMESTAMP| accepted")
      ->capture_default_str();
  app.add_option("--drop-every", drop_every, "Skip every Nth replayed frame (sequence gap)");
  app.add_option("--duplicate-every", duplicate_every, "Send every Nth replayed frame twice");
  app.add_option("--malformed-every", malformed_every, "Replace every Nth replayed frame by its first half");
  app.add_option("--disconnect-after", disconnect_after, "Close each connection after N replayed frames");
  app.add_option("--delay-ms", delay_ms, "Wait N ms before every replayed frame")
      ->check(CLI::Range(0, 3'600'000));
  app.add_flag("--verbose", options.verbose, "Log connections, commands and refusals to stderr");
  CLI11_PARSE(app, argc, argv);

  std::filesystem::path generated_dir;
  try {
    pmx::sim::FrameSource source;
    std::optional<pmx::Venue> bare;
    if (!venue_name.empty()) bare = venue_name == "kalshi" ? pmx::Venue::kalshi : pmx::Venue::polymarket;
    for (const auto& c : captures)
      pmx::sim::load_capture_file(source, c, bare);

    options.pace = pace_name == "recorded" ? pmx::sim::Pace::recorded : pmx::sim::Pace::max;
    options.faults = {drop_every, duplicate_every, malformed_every, disconnect_after,
                      std::chrono::milliseconds(delay_ms)};
    if (!kalshi_public_key.empty()) options.kalshi_public_key_pem = read_file(kalshi_public_key);

    if (!config_path.empty()) {
      if (app.count("--port") || app.count("--bind"))
        throw std::runtime_error("--config replaces --port and --bind");
      const pmx::Config config = pmx::load_config(config_path);
      add_config_route(options.listeners, config.venues.kalshi.ws_url, pmx::Venue::kalshi,
                       allow_non_loopback);
      add_config_route(options.listeners, config.venues.polymarket.ws_url, pmx::Venue::polymarket,
                       allow_non_loopback);
      if (tls) {
        for (auto& l : options.listeners)
          l.tls = true;
      }
    } else {
      if (!is_loopback(bind) && !allow_non_loopback) {
        throw std::runtime_error("--bind " + bind +
                                 " is not a loopback address; pass --allow-non-loopback to expose it");
      }
      options.listeners.push_back(
          {bind == "localhost" ? "127.0.0.1" : bind,
           static_cast<uint16_t>(port),
           tls,
           {{"/trade-api/ws/v2", pmx::Venue::kalshi}, {"/ws/market", pmx::Venue::polymarket}}});
    }

    bool any_tls = false;
    for (const auto& l : options.listeners)
      any_tls = any_tls || l.tls;
    if (any_tls) {
      if (cert_file.empty() != key_file.empty()) throw std::runtime_error("--cert and --key go together");
      if (cert_file.empty()) {
        std::string dir = cert_dir;
        if (dir.empty()) {
          char tmpl[] = "/tmp/pmx-venue-sim-XXXXXX";
          if (!mkdtemp(tmpl)) throw std::runtime_error("cannot create a temporary directory");
          dir = tmpl;
          generated_dir = dir;
        } else {
          std::filesystem::create_directories(dir);
          std::filesystem::remove(std::filesystem::path(dir) / "cert.pem");
          std::filesystem::remove(std::filesystem::path(dir) / "key.pem");
        }
        const auto files = pmx::sim::generate_self_signed(dir);
        cert_file = files.cert_path;
        key_file = files.key_path;
      }
      options.cert_file = cert_file;
      options.key_file = key_file;
    }

    size_t listening = 0;
    pmx::sim::run_server(options, source, [&](const std::string& url) {
      std::printf("listening on %s\n", url.c_str());
      if (++listening == options.listeners.size() && any_tls)
        std::printf("certificate %s\n", cert_file.c_str());
      std::fflush(stdout);
    });
  } catch (const std::exception& e) {
    fmt::print(stderr, "pmx-venue-sim: {}\n", e.what());
    if (!generated_dir.empty()) std::filesystem::remove_all(generated_dir);
    return 1;
  }
  if (!generated_dir.empty()) std::filesystem::remove_all(generated_dir);
  return 0;
}
