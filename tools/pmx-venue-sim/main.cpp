// pmx-venue-sim: a loopback WebSocket server that speaks Kalshi's and Polymarket's market-data
// protocols, replays captured frames and injects faults, so feed handlers and the engine can be
// tested without a venue. See --help.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <unistd.h>

#include "pmx/core/config.h"
#include "pmx/core/decimal.h"
#include "pmx/net/ws_url.h"

#include "capture_source.h"
#include "order_side.h"
#include "pairs_toml.h"
#include "rest_api.h"
#include "sim_server.h"
#include "tls_cert.h"

namespace {

constexpr const char* kDescription =
    R"(pmx-venue-sim: loopback Kalshi + Polymarket venue: market data (WebSocket + REST market lists) and
the order side (signed order endpoints, matching, private fill channels, fault injection).

Venues (paths on every listener, or exactly the URLs of --config):
  Kalshi      /trade-api/ws/v2  handshake auth (KALSHI-ACCESS-KEY/-TIMESTAMP/-SIGNATURE, RSA-PSS
              over timestamp_ms+"GET"+path) checked against --kalshi-public-key: a missing or
              invalid signature gets HTTP 401 at the upgrade. Commands: subscribe (-> subscribed
              with a sid), unsubscribe, list_subscriptions, get_snapshot (also update_subscription
              action get_snapshot; the snapshot is rebuilt from the book replayed so far). Replayed
              frames get the subscription's sid and its own running seq.
  Polymarket  /ws/market        {"assets_ids":[...],"type":"market"} subscribes (an empty list
              means every asset), {"operation":"unsubscribe",...} unsubscribes, text PING -> PONG.

REST (plain HTTP GET on the same listeners, keep-alive; https with TLS):
  Kalshi      /trade-api/v2/markets (cursor, limit <= 1000, event_ticker, series_ticker, tickers,
              status), /trade-api/v2/markets/{ticker}, /trade-api/v2/events (with_nested_markets,
              cursor, limit <= 200), /trade-api/v2/events/{event_ticker} (mutually_exclusive)
  Polymarket  CLOB /markets (next_cursor: "MA==" first, "LTE=" last), /markets/{condition_id};
              Gamma /events (limit, offset, id, slug; negRisk grouping), /events/{id}
  With --config they sit at the paths of [venues.kalshi] rest_url and [venues.polymarket]
  rest_url / gamma_url. A capture serves minimal lists of the instruments its frames touch.

Data: --capture FILE replays frames (lines "<receive_ts_ns>\t<venue>\t<frame>", or bare frames
one per line with --venue), each venue's frames to that venue's subscribers, from the start for
every new connection, once the connection has subscribed.
--synthetic [--seed N] [--markets N] generates a deterministic market instead (same seed and
--start-ms: same frames): a strike ladder ("above X", briefly non-monotone now and then),
mutually exclusive events (Kalshi mutually_exclusive, Polymarket neg-risk) whose prices sum near
1 and now and then below, binaries closing within hours that drift to 0 or 1, plain binaries; all
but the ladder listed on both venues with small divergences. Each connection runs its own copy
from the start: Kalshi gets an orderbook_snapshot per subscribed market then orderbook_delta;
Polymarket a book per token then price_change. It runs at virtual-time pace (--step-ms per step)
unless --pace max. --write-pairs FILE writes the cross-venue pairs TOML the engine reads.

Faults count replayed data frames per connection (n = 1, 2, ...): --drop-every N skips frame n
when N divides n (its seq is used up: a gap), --duplicate-every N sends it twice,
--malformed-every N sends its first half, --disconnect-after N closes the connection (code 1001)
after N frames, on every connection; --delay-ms N waits N ms before every frame;
--error-code C --error-after N sends Kalshi {"id":0,"type":"error","msg":{"code":C,"msg":...}}
after frame N (10, 17, 25 are terminal: the subscription that carried frame N ends).

Order side (one simulated account per venue; --starting-balance dollars each):
  Kalshi      POST /trade-api/v2/portfolio/events/orders (V2: ticker, client_order_id, side bid|ask,
              count "10.00", price "0.5600", time_in_force, self_trade_prevention_type, ...),
              DELETE /trade-api/v2/portfolio/events/orders/{id} (and legacy .../portfolio/orders/{id}),
              GET /trade-api/v2/portfolio/orders (?status=, ?ticker=), /portfolio/positions,
              /portfolio/balance. Each request must carry KALSHI-ACCESS-* signed over timestamp +
              METHOD + full path with the --kalshi-public-key's private key (401 otherwise); a
              client_order_id used before gets 409. Fills go out as `fill` frames on the private
              fill channel of every Kalshi WebSocket session subscribed to it.
  Polymarket  POST /order, DELETE /order, GET /data/orders (the resting orders, paged by
              next_cursor) and GET /balance-allowance (asset_type=COLLATERAL, or
              CONDITIONAL&token_id=T: the shares held) checked against --poly-api-key/-secret/-passphrase
              (L2 HMAC over the exact body) and the EIP-712 signature (V2 domain "2", V3 "3",
              --poly-chain-id; the recovered signer must be the order's signer); trade events
              MATCHED -> MINED -> CONFIRMED (or FAILED) and order events PLACEMENT / UPDATE /
              CANCELLATION on /ws/user ({"type":"user","markets":[...],"auth":{...}}).
  Matching: against one server-wide copy of the synthetic market (capture replay: empty books):
  the marketable part fills at once at the book's prices walking depth, the rest rests (GTC/GTD)
  or is cancelled (IOC/FAK; FOK all or nothing); resting orders fill at their price when the book
  moves through them. The book takes one step per --step-ms of wall time, or with --manual-book
  only on POST /sim/step?n=K; GET /sim/book?market=KEY shows it. Fees, positions and balances are
  exact fixed point.
  Faults (seeded, deterministic; n counts authenticated order requests): --fault-429-every N,
  --fault-5xx-every N (503), --fault-reject-every N (order placements only) answer without acting;
  --fault-drop-every N acts then closes the connection unanswered; --fault-timeout-every N acts
  then holds the answer --fault-timeout-ms; --fault-partial-fill fills at most half of what is
  marketable; --fault-trade-fail-every N ends every Nth Polymarket trade FAILED; --fault-storm SEED
  turns all of them on at moderate seeded rates. The counts are printed on exit ("order faults:
  ...") and each fault is logged with --verbose.

Output on stdout: one line "listening on ws://HOST:PORT" (wss:// with TLS) per listener, first
thing, then "certificate PATH" when TLS is on, then one line per endpoint served,
"serving <venue> <api> <URL>" (api: ws, user, rest, clob, gamma). SIGINT/SIGTERM exit 0, after
one last line "order faults: requests N, 429 N, 5xx N, reject N, drop N, timeout N, ...".)";

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

// The listener for `url_text`'s host and port (http(s):// read as ws(s)://), added if new.
pmx::sim::ListenerSpec& config_listener(std::vector<pmx::sim::ListenerSpec>& listeners,
                                        const std::string& url_text, bool allow_non_loopback,
                                        std::string& path) {
  std::string as_ws = url_text;
  if (as_ws.starts_with("http://")) as_ws.replace(0, 4, "ws");
  if (as_ws.starts_with("https://")) as_ws.replace(0, 5, "wss");
  std::string error;
  auto url = pmx::net::parse_ws_url(as_ws, &error);
  if (!url) throw std::runtime_error("--config: " + url_text + ": " + error);
  std::string bind = url->host == "localhost" ? "127.0.0.1" : url->host;
  if (!is_loopback(bind) && !allow_non_loopback) {
    throw std::runtime_error("--config: " + url_text +
                             " is not a loopback address; pass --allow-non-loopback");
  }
  path = std::string(url->path());
  for (auto& l : listeners) {
    if (l.bind == bind && l.port == url->port) {
      if (l.tls != url->tls) throw std::runtime_error("--config: plain and TLS on one port: " + url_text);
      return l;
    }
  }
  listeners.push_back({bind, url->port, url->tls, {}, {}});
  return listeners.back();
}

void add_config_route(std::vector<pmx::sim::ListenerSpec>& listeners, const std::string& url_text,
                      pmx::Venue venue, bool allow_non_loopback) {
  std::string path;
  auto& listener = config_listener(listeners, url_text, allow_non_loopback, path);
  listener.routes.push_back({path, venue, false});
  // Polymarket's user channel sits beside its market channel: /ws/market -> /ws/user.
  if (venue == pmx::Venue::polymarket && path.ends_with("/market")) {
    listener.routes.push_back({path.substr(0, path.size() - 6) + "user", venue, true});
  }
}

void add_config_rest(std::vector<pmx::sim::ListenerSpec>& listeners, const std::string& url_text,
                     pmx::sim::RestApi api, bool allow_non_loopback) {
  std::string path;
  auto& listener = config_listener(listeners, url_text, allow_non_loopback, path);
  if (path == "/") path.clear();
  while (!path.empty() && path.back() == '/')
    path.pop_back();
  listener.rest.push_back({path, api});
}

// "serving ..." lines for one bound listener whose URL is `url` ("ws://127.0.0.1:9101").
void print_served(const pmx::sim::ListenerSpec& spec, const std::string& url) {
  const std::string http = (spec.tls ? "https" : "http") + url.substr(url.find(':'));
  for (const auto& r : spec.routes) {
    std::printf("serving %s %s %s%s\n", r.venue == pmx::Venue::kalshi ? "kalshi" : "polymarket",
                r.user_channel ? "user" : "ws", url.c_str(), r.path.c_str());
  }
  for (const auto& r : spec.rest) {
    const char* what = r.api == pmx::sim::RestApi::kalshi            ? "kalshi rest"
                       : r.api == pmx::sim::RestApi::polymarket_clob ? "polymarket clob"
                                                                     : "polymarket gamma";
    std::printf("serving %s %s%s\n", what, http.c_str(), r.prefix.c_str());
  }
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
  int error_code = 0;
  uint64_t error_after = 0;
  bool synthetic = false;
  pmx::sim::SyntheticOptions synthetic_options;
  int64_t start_ms = -1;
  std::string pairs_path;

  app.add_option("--capture", captures, "Capture file to replay (repeatable; frames in file order)")
      ->check(CLI::ExistingFile);
  app.add_option("--venue", venue_name, "Venue of bare frames in the capture files: kalshi | polymarket")
      ->check(CLI::IsMember({"kalshi", "polymarket"}));
  app.add_option(
         "--pace", pace_name,
         "recorded (keep the capture's gaps between frames, or the synthetic virtual clock) | max (as "
         "fast as written); default: max for a capture, recorded for --synthetic")
      ->check(CLI::IsMember({"recorded", "max"}));
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
         "Engine TOML: listen exactly at [venues.kalshi] ws_url/rest_url and [venues.polymarket] "
         "ws_url/rest_url/gamma_url (wss:// or https://, or --tls, turn TLS on); replaces --port/--bind")
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
  app.add_option("--error-code", error_code, "Kalshi error code to inject (10, 17, 25 are terminal)")
      ->check(CLI::Range(1, 99));
  app.add_option("--error-after", error_after, "Inject the --error-code frame after N replayed frames")
      ->check(CLI::Range(uint64_t{1}, UINT64_MAX));
  app.add_flag("--synthetic", synthetic, "Serve a seeded synthetic market instead of a capture");
  app.add_option("--seed", synthetic_options.seed, "Synthetic market seed")->capture_default_str();
  app.add_option("--markets", synthetic_options.markets,
                 "Synthetic Kalshi markets (Polymarket lists all but the ladder)")
      ->check(CLI::Range(1, 10'000))
      ->capture_default_str();
  app.add_option("--step-ms", synthetic_options.step_ms, "Synthetic virtual time per step")
      ->check(CLI::Range(int64_t{1}, int64_t{3'600'000}))
      ->capture_default_str();
  app.add_option("--start-ms", start_ms,
                 "Synthetic clock origin, epoch ms (default: now); close times follow it")
      ->check(CLI::Range(int64_t{0}, int64_t{4'102'444'800'000}));
  app.add_option("--write-pairs", pairs_path, "Write the synthetic cross-venue pairs TOML to FILE");
  std::string starting_balance = "1000";
  pmx::sim::OrderSideOptions order_options;
  pmx::sim::OrderFaultOptions& order_faults = order_options.faults;
  int64_t fault_timeout_ms = order_faults.timeout_hold.count();
  app.add_option("--starting-balance", starting_balance,
                 "Cash of the simulated account on each venue, in dollars")
      ->capture_default_str();
  app.add_flag("--manual-book", order_options.manual_book,
               "The order side's matching book moves only on POST /sim/step, not on the wall clock");
  app.add_option("--poly-api-key", order_options.polymarket_auth.api_key,
                 "Polymarket L2 API key orders must carry (POLY_API_KEY, owner, user-channel auth); "
                 "without it the L2 headers are not checked");
  app.add_option("--poly-api-secret", order_options.polymarket_auth.api_secret,
                 "Polymarket L2 API secret (base64url) POLY_SIGNATURE is checked with");
  app.add_option("--poly-passphrase", order_options.polymarket_auth.passphrase, "Polymarket L2 passphrase");
  app.add_option("--poly-chain-id", order_options.polymarket_auth.chain_id,
                 "Chain id of the EIP-712 order domain (137 Polygon, 80002 Amoy)")
      ->capture_default_str();
  app.add_option("--poly-mined-ms", order_options.polymarket_auth.mined_ms,
                 "Polymarket trade events: MATCHED, then MINED and CONFIRMED this many ms apart")
      ->check(CLI::Range(int64_t{0}, int64_t{600'000}))
      ->capture_default_str();
  app.add_option("--poly-orders-page", order_options.polymarket_auth.orders_page,
                 "Polymarket GET /data/orders: resting orders per page")
      ->check(CLI::Range(int64_t{1}, int64_t{1'000}))
      ->capture_default_str();
  app.add_option("--fault-429-every", order_faults.too_many_requests_every,
                 "Answer every Nth order request 429 with the venue's body (not acted on)");
  app.add_option("--fault-5xx-every", order_faults.server_error_every,
                 "Answer every Nth order request 503 (not acted on)");
  app.add_option("--fault-reject-every", order_faults.reject_every,
                 "Reject every Nth order placement with the venue's reject body");
  app.add_option("--fault-drop-every", order_faults.drop_every,
                 "Act on every Nth order request, then close the connection without answering");
  app.add_option("--fault-timeout-every", order_faults.timeout_every,
                 "Act on every Nth order request, then hold the answer --fault-timeout-ms");
  app.add_option("--fault-timeout-ms", fault_timeout_ms, "How long --fault-timeout-every holds an answer")
      ->check(CLI::Range(int64_t{0}, int64_t{3'600'000}))
      ->capture_default_str();
  app.add_flag("--fault-partial-fill", order_faults.partial_fill,
               "Fill at most half of the marketable part of every order (the rest rests or is cancelled)");
  app.add_option("--fault-trade-fail-every", order_faults.trade_fail_every,
                 "Every Nth Polymarket trade goes MATCHED -> FAILED (fill reversed)");
  app.add_option("--fault-storm", order_faults.storm_seed,
                 "All order faults at moderate seeded rates (429 6%, 5xx 4%, reject 4%, drop 3%, timeout 2%, "
                 "trade FAILED 5%, partial fills)");
  app.add_flag("--verbose", options.verbose, "Log connections, commands, orders and refusals to stderr");
  CLI11_PARSE(app, argc, argv);

  std::filesystem::path generated_dir;
  std::optional<pmx::sim::OrderSide> orders;
  try {
    pmx::sim::FrameSource source;
    std::optional<pmx::Venue> bare;
    if (!venue_name.empty()) bare = venue_name == "kalshi" ? pmx::Venue::kalshi : pmx::Venue::polymarket;
    for (const auto& c : captures)
      pmx::sim::load_capture_file(source, c, bare);
    if (synthetic && !captures.empty())
      throw std::runtime_error("--synthetic and --capture exclude each other");
    if (!synthetic && (app.count("--seed") || app.count("--markets") || app.count("--step-ms") ||
                       app.count("--start-ms") || !pairs_path.empty()))
      throw std::runtime_error("--seed, --markets, --step-ms, --start-ms and --write-pairs need --synthetic");
    if ((error_code != 0) != (error_after != 0))
      throw std::runtime_error("--error-code and --error-after go together");
    if (synthetic) {
      synthetic_options.start_ms = start_ms >= 0 ? start_ms
                                                 : std::chrono::duration_cast<std::chrono::milliseconds>(
                                                       std::chrono::system_clock::now().time_since_epoch())
                                                       .count();
      source.synthetic = synthetic_options;
      source.universe = pmx::sim::SyntheticMarket(synthetic_options).universe();
      if (!pairs_path.empty()) {
        std::ofstream out(pairs_path, std::ios::binary | std::ios::trunc);
        out << pmx::sim::pairs_toml(
            source.universe,
            fmt::format("Cross-venue pairs of pmx-venue-sim --synthetic --seed {} --markets {} "
                        "--start-ms {} (generated; do not edit).",
                        synthetic_options.seed, synthetic_options.markets, synthetic_options.start_ms));
        if (!out.flush()) throw std::runtime_error("--write-pairs " + pairs_path + ": cannot write");
      }
    } else {
      source.universe = pmx::sim::capture_universe(source);
    }

    // A synthetic market runs at its virtual clock's pace unless --pace says otherwise.
    const bool recorded =
        app.count("--pace") ? pace_name == "recorded" : synthetic || pace_name == "recorded";
    options.pace = recorded ? pmx::sim::Pace::recorded : pmx::sim::Pace::max;
    options.faults = {
        drop_every, duplicate_every, malformed_every, disconnect_after, std::chrono::milliseconds(delay_ms),
        error_code, error_after};
    if (!kalshi_public_key.empty()) options.kalshi_public_key_pem = read_file(kalshi_public_key);

    int64_t balance_micros = 0;
    if (pmx::parse_fixed(starting_balance, 6, balance_micros) != pmx::DecimalError::ok || balance_micros < 0)
      throw std::runtime_error("--starting-balance " + starting_balance + ": not a dollar amount");
    order_options.starting_balance_micros = balance_micros;
    order_faults.storm = app.count("--fault-storm") > 0;
    order_faults.timeout_hold = std::chrono::milliseconds(fault_timeout_ms);
    if (synthetic) order_options.synthetic = synthetic_options;
    order_options.capture_universe = source.universe;
    order_options.kalshi_auth = {options.kalshi_public_key_pem, options.kalshi_max_skew_ms};
    const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    orders.emplace(std::move(order_options), now_ms);
    options.orders = &*orders;

    if (!config_path.empty()) {
      if (app.count("--port") || app.count("--bind"))
        throw std::runtime_error("--config replaces --port and --bind");
      const pmx::Config config = pmx::load_config(config_path);
      add_config_route(options.listeners, config.venues.kalshi.ws_url, pmx::Venue::kalshi,
                       allow_non_loopback);
      add_config_route(options.listeners, config.venues.polymarket.ws_url, pmx::Venue::polymarket,
                       allow_non_loopback);
      add_config_rest(options.listeners, config.venues.kalshi.rest_url, pmx::sim::RestApi::kalshi,
                      allow_non_loopback);
      add_config_rest(options.listeners, config.venues.polymarket.rest_url,
                      pmx::sim::RestApi::polymarket_clob, allow_non_loopback);
      add_config_rest(options.listeners, config.venues.polymarket.gamma_url,
                      pmx::sim::RestApi::polymarket_gamma, allow_non_loopback);
      if (tls) {
        for (auto& l : options.listeners)
          l.tls = true;
      }
    } else {
      if (!is_loopback(bind) && !allow_non_loopback) {
        throw std::runtime_error("--bind " + bind +
                                 " is not a loopback address; pass --allow-non-loopback to expose it");
      }
      options.listeners.push_back({bind == "localhost" ? "127.0.0.1" : bind,
                                   static_cast<uint16_t>(port),
                                   tls,
                                   {{"/trade-api/ws/v2", pmx::Venue::kalshi, false},
                                    {"/ws/market", pmx::Venue::polymarket, false},
                                    {"/ws/user", pmx::Venue::polymarket, true}},
                                   {{"/trade-api/v2", pmx::sim::RestApi::kalshi},
                                    {"", pmx::sim::RestApi::polymarket_clob},
                                    {"", pmx::sim::RestApi::polymarket_gamma}}});
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

    std::vector<std::string> urls;
    pmx::sim::run_server(options, source, [&](const std::string& url) {
      std::printf("listening on %s\n", url.c_str());
      urls.push_back(url);
      if (urls.size() == options.listeners.size()) {
        if (any_tls) std::printf("certificate %s\n", cert_file.c_str());
        for (size_t i = 0; i < urls.size(); ++i)
          print_served(options.listeners[i], urls[i]);
      }
      std::fflush(stdout);
    });
  } catch (const std::exception& e) {
    fmt::print(stderr, "pmx-venue-sim: {}\n", e.what());
    if (!generated_dir.empty()) std::filesystem::remove_all(generated_dir);
    return 1;
  }
  if (!generated_dir.empty()) std::filesystem::remove_all(generated_dir);
  if (orders) {
    std::printf("%s\n", orders->faults().summary().c_str());
    std::fflush(stdout);
  }
  return 0;
}
