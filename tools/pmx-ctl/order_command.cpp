#include "order_command.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "pmx/core/decimal.h"
#include "pmx/gateway/kalshi_request.h"
#include "pmx/gateway/polymarket_amounts.h"
#include "pmx/gateway/polymarket_request.h"

namespace pmx::ctl {

namespace {

namespace gw = pmx::gateway;

struct OrderOptions {
  bool dry_run = false;
  std::string venue;
  std::string side;
  std::optional<std::string> price;
  std::optional<std::string> size;
  int64_t timestamp_ms = -1;  // -1: now
  int64_t expiration = 0;
  bool post_only = false;
  // Polymarket
  std::optional<uint64_t> maker_amount;
  std::optional<uint64_t> taker_amount;
  std::optional<uint64_t> salt;
  std::string tick_size = "0.01";
  int order_version = 2;
  uint64_t chain_id = gw::kPolygonChainId;
  std::optional<std::string> exchange;
  bool neg_risk = false;
  std::string token_id;
  uint64_t nonce = 0;
  uint64_t fee_rate_bps = 0;
  int signature_type = 0;
  std::string order_type = "GTC";
  std::string metadata;
  std::string builder;
  // Kalshi
  std::string ticker;
  std::string client_order_id;
  std::string outcome = "yes";
  std::string time_in_force = "gtc";
  bool reduce_only = false;
};

constexpr std::string_view kRedacted = "<redacted: POLY_API_PASSPHRASE>";

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int usage(const std::string& message) {
  std::fprintf(stderr, "pmx-ctl: order: %s\n", message.c_str());
  return kExitUsage;
}

int refused(const std::string& message) {
  std::fprintf(stderr, "pmx-ctl: order refused: %s\n", message.c_str());
  return kExitRefused;
}

const char* env(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? value : nullptr;
}

void print_request(std::string_view bytes) {
  std::fwrite(bytes.data(), 1, bytes.size(), stdout);
  std::fputc('\n', stdout);
}

std::string random_uuid() {
  std::random_device random;
  std::array<uint8_t, 16> b{};
  for (uint8_t& x : b)
    x = static_cast<uint8_t>(random());
  b[6] = static_cast<uint8_t>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  const std::string hex = gw::to_hex(b).substr(2);
  return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' +
         hex.substr(20);
}

int run_kalshi(const OrderOptions& o, int64_t timestamp_ms) {
  if (o.ticker.empty()) return usage("--ticker is required for Kalshi");
  if (!o.price || !o.size) return usage("Kalshi orders need --price and --size (contracts)");
  Price price;
  Qty count;
  if (parse_price(*o.price, price) != DecimalError::ok)
    return usage("--price: not a dollar price: " + *o.price);
  if (parse_qty(*o.size, count) != DecimalError::ok) return usage("--size: not a quantity: " + *o.size);
  const char* key_id = env("KALSHI_API_KEY_ID");
  const char* key_path = env("KALSHI_PRIVATE_KEY_PATH");
  if (!key_id || !key_path)
    return refused("needs KALSHI_API_KEY_ID and KALSHI_PRIVATE_KEY_PATH in the environment");

  const std::string client_order_id = o.client_order_id.empty() ? random_uuid() : o.client_order_id;
  const auto leg = gw::kalshi_yes_leg(o.side == "buy" ? Side::buy : Side::sell,
                                      o.outcome == "yes" ? Outcome::yes : Outcome::no, price);
  gw::KalshiOrder order;
  order.ticker = o.ticker;
  order.client_order_id = client_order_id;
  order.side = leg.side;
  order.yes_price = leg.yes_price;
  order.count = count;
  order.tif = o.time_in_force == "ioc"   ? TimeInForce::ioc
              : o.time_in_force == "fok" ? TimeInForce::fok
                                         : TimeInForce::gtc;
  order.post_only = o.post_only;
  order.reduce_only = o.reduce_only;
  order.expiration_time_s = o.expiration;

  const auto signer = gw::KalshiSigner::from_pem_file(key_path);
  const gw::KalshiRequestBuilder builder(key_id);
  std::array<char, 4096> buffer;
  const gw::RequestResult r = builder.create_order_signed_inline(order, signer, timestamp_ms, buffer);
  if (!r.ok()) return refused(std::string(gw::to_string(r.error)));
  print_request(std::string_view(buffer.data(), r.size));
  return kExitOk;
}

int run_polymarket(const OrderOptions& o, int64_t timestamp_ms) {
  const auto version = static_cast<gw::PolymarketOrderVersion>(o.order_version);
  const Side side = o.side == "buy" ? Side::buy : Side::sell;

  gw::PolymarketOrder fields;
  if (!gw::parse_uint256(o.token_id, fields.token_id))
    return usage("--token-id: not a decimal uint256: " + o.token_id);
  if (!o.metadata.empty() && !gw::parse_word_hex(o.metadata, fields.metadata))
    return usage("--metadata: expected 32 bytes of hex");
  if (!o.builder.empty() && !gw::parse_word_hex(o.builder, fields.builder))
    return usage("--builder: expected 32 bytes of hex");

  const bool raw_amounts = o.maker_amount || o.taker_amount;
  if (raw_amounts) {
    if (!o.maker_amount || !o.taker_amount) return usage("give both --maker-amount and --taker-amount");
    if (o.price || o.size) return usage("give --price/--size or --maker-amount/--taker-amount, not both");
    fields.maker_amount = *o.maker_amount;
    fields.taker_amount = *o.taker_amount;
  } else {
    if (!o.price || !o.size) return usage("give --price and --size, or --maker-amount and --taker-amount");
    Price price, tick;
    Qty size;
    if (parse_price(*o.price, price) != DecimalError::ok) return usage("--price: not a price: " + *o.price);
    if (parse_qty(*o.size, size) != DecimalError::ok) return usage("--size: not a size: " + *o.size);
    if (parse_price(o.tick_size, tick) != DecimalError::ok)
      return usage("--tick-size: not a price: " + o.tick_size);
    gw::PolymarketAmounts amounts;
    if (const auto e = gw::polymarket_limit_amounts(side, price, size, tick, amounts);
        e != gw::GatewayError::ok)
      return refused(std::string("amounts: ") + std::string(gw::to_string(e)));
    fields.maker_amount = amounts.maker_amount;
    fields.taker_amount = amounts.taker_amount;
  }

  gw::PolymarketAccount account;
  account.version = version;
  account.chain_id = o.chain_id;
  account.signature_type = static_cast<gw::PolymarketSignatureType>(o.signature_type);
  if (o.exchange) {
    if (!gw::parse_address(*o.exchange, account.exchange))
      return usage("--exchange: not an address: " + *o.exchange);
  } else if (auto known = gw::polymarket_exchange_address(version, o.chain_id, o.neg_risk)) {
    account.exchange = *known;
  } else {
    return usage("no known exchange for this version, chain and neg-risk: give --exchange");
  }
  if (const char* funder = env("POLY_FUNDER")) {
    gw::Address maker;
    if (!gw::parse_address(funder, maker)) return refused("POLY_FUNDER is not an address");
    account.funder = maker;
  }
  const char* api_key = env("POLY_API_KEY");
  const char* api_secret = env("POLY_API_SECRET");
  if (!api_key || !api_secret || !env("POLY_API_PASSPHRASE"))
    return refused("needs POLY_API_KEY, POLY_API_SECRET and POLY_API_PASSPHRASE in the environment");
  account.api_key = api_key;
  account.passphrase = std::string(kRedacted);  // not covered by any signature: safe to leave out

  gw::PolymarketRequestBuilder builder(gw::EthereumSigner::from_env("POLY_PRIVATE_KEY"),
                                       gw::PolymarketHmac::from_secret(api_secret), std::move(account));
  gw::PolymarketOrder order = builder.order_template();
  order.salt =
      o.salt ? *o.salt : std::mt19937_64{std::random_device{}()}() >> 11;  // below 2^53: a JSON-safe number
  order.token_id = fields.token_id;
  order.maker_amount = fields.maker_amount;
  order.taker_amount = fields.taker_amount;
  order.side = side;
  order.expiration_s = static_cast<uint64_t>(o.expiration);
  order.nonce = o.nonce;
  order.fee_rate_bps = o.fee_rate_bps;
  order.timestamp_ms = static_cast<uint64_t>(timestamp_ms);
  order.metadata = fields.metadata;
  order.builder = fields.builder;

  gw::PolymarketOrderType type = gw::PolymarketOrderType::gtc;
  if (o.order_type == "GTD") type = gw::PolymarketOrderType::gtd;
  if (o.order_type == "FOK") type = gw::PolymarketOrderType::fok;
  if (o.order_type == "FAK") type = gw::PolymarketOrderType::fak;

  std::array<char, 8192> buffer;
  const gw::RequestResult r = builder.post_order(order, type, o.post_only, timestamp_ms / 1000, buffer);
  if (!r.ok()) return refused(std::string(gw::to_string(r.error)));
  print_request(std::string_view(buffer.data(), r.size));
  return kExitOk;
}

int run_order(const OrderOptions& o) {
  if (!o.dry_run) return usage("only --dry-run is supported: live orders go through the engine");
  const int64_t timestamp_ms = o.timestamp_ms >= 0 ? o.timestamp_ms : now_ms();
  try {
    return o.venue == "kalshi" ? run_kalshi(o, timestamp_ms) : run_polymarket(o, timestamp_ms);
  } catch (const gw::SigningError& e) {
    return refused(e.what());
  }
}

}  // namespace

OfflineSubcommand add_order(CLI::App& app) {
  auto* sub =
      app.add_subcommand("order", "Print the exact signed HTTP request of an order (--dry-run; no engine)");
  auto o = std::make_shared<OrderOptions>();
  sub->add_flag("--dry-run", o->dry_run, "Print the request instead of sending it (required)");
  sub->add_option("--venue", o->venue, "kalshi or polymarket")
      ->required()
      ->check(CLI::IsMember({"kalshi", "polymarket"}));
  sub->add_option("--side", o->side, "buy or sell")->required()->check(CLI::IsMember({"buy", "sell"}));
  sub->add_option("--price", o->price, "Limit price in dollars (Kalshi: of --outcome)");
  sub->add_option("--size", o->size, "Shares (Polymarket) or contracts (Kalshi)");
  sub->add_option("--timestamp", o->timestamp_ms,
                  "Unix ms: order timestamp and signature time (default: now)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--expiration", o->expiration, "Unix seconds; 0 = none")->check(CLI::NonNegativeNumber);
  sub->add_flag("--post-only", o->post_only, "Rest only; never take");
  // Polymarket
  sub->add_option("--maker-amount", o->maker_amount, "Raw makerAmount in token base units (Polymarket)");
  sub->add_option("--taker-amount", o->taker_amount, "Raw takerAmount in token base units (Polymarket)");
  sub->add_option("--salt", o->salt, "Order salt (default: random below 2^53)");
  sub->add_option("--tick-size", o->tick_size, "Market tick size for --price/--size (Polymarket)")
      ->capture_default_str();
  sub->add_option("--order-version", o->order_version, "Polymarket exchange version 1, 2 or 3")
      ->check(CLI::IsMember({1, 2, 3}))
      ->capture_default_str();
  sub->add_option("--chain-id", o->chain_id, "137 Polygon, 80002 Amoy")->capture_default_str();
  sub->add_option("--exchange", o->exchange,
                  "Verifying contract (default: the version's exchange on the chain)");
  sub->add_flag("--neg-risk", o->neg_risk, "Use the neg-risk exchange when --exchange is not given");
  sub->add_option("--token-id", o->token_id, "Outcome token id (decimal)");
  sub->add_option("--nonce", o->nonce, "V1 only");
  sub->add_option("--fee-rate-bps", o->fee_rate_bps, "V1 only");
  sub->add_option("--signature-type", o->signature_type,
                  "0 EOA, 1 POLY_PROXY, 2 POLY_GNOSIS_SAFE, 3 POLY_1271")
      ->check(CLI::Range(0, 3));
  sub->add_option("--order-type", o->order_type, "GTC, GTD, FOK or FAK")
      ->check(CLI::IsMember({"GTC", "GTD", "FOK", "FAK"}))
      ->capture_default_str();
  sub->add_option("--metadata", o->metadata, "bytes32 hex (V2/V3)");
  sub->add_option("--builder", o->builder, "bytes32 builder code hex (V2/V3)");
  // Kalshi
  sub->add_option("--ticker", o->ticker, "Market ticker (Kalshi)");
  sub->add_option("--client-order-id", o->client_order_id,
                  "Idempotency key (Kalshi; default: a random UUID)");
  sub->add_option("--outcome", o->outcome, "yes or no (Kalshi)")->check(CLI::IsMember({"yes", "no"}));
  sub->add_option("--time-in-force", o->time_in_force, "gtc, ioc or fok (Kalshi)")
      ->check(CLI::IsMember({"gtc", "ioc", "fok"}));
  sub->add_flag("--reduce-only", o->reduce_only, "Kalshi: never open or grow a position");
  return {sub, [o] {
            if (o->venue == "polymarket" && o->token_id.empty())
              return usage("--token-id is required for Polymarket");
            return run_order(*o);
          }};
}

}  // namespace pmx::ctl
