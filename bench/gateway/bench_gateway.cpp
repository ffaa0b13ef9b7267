// bench_gateway: the gateway's cost from an OrderIntent to the request bytes ready to write.
//
//   kalshi/presigned   intent -> V2 body + KALSHI-ACCESS-* headers, signature from the
//                      pre-signing cache (take) — the hot path; target p50 <= 2 us
//   kalshi/rsa_inline  the same request with RSA-PSS (2048-bit) signed inline — the baseline
//   polymarket/v2      intent -> amounts, EIP-712 digest, secp256k1 signature, JSON body,
//                      L2 HMAC and headers; target p50 <= secp256k1 alone + 5 us
//   polymarket/secp256k1_only  libsecp256k1's sign_recoverable over a fixed digest, called
//                      directly: the floor the Polymarket path cannot go below
//
// Every iteration is timed on its own (steady_clock); p50 and p99 per operation are reported as
// counters next to Google Benchmark's mean. Before timing, each request is checked: the Kalshi
// signature verifies and the Polymarket signature recovers the signer.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "pmx/core/order.h"
#include "pmx/gateway/kalshi_presign_cache.h"
#include "pmx/gateway/kalshi_request.h"
#include "pmx/gateway/keccak.h"
#include "pmx/gateway/polymarket_amounts.h"
#include "pmx/gateway/polymarket_request.h"

namespace {

using namespace pmx;
using namespace pmx::gateway;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kEthKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

const KalshiSigner& rsa_signer() {
  static const KalshiSigner signer = [] {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<size_t>(n));
    BIO_free(bio);
    EVP_PKEY_free(key);
    return KalshiSigner::from_pem(pem);
  }();
  return signer;
}

OrderIntent test_intent(Venue venue) {
  OrderIntent intent;
  intent.intent_id = 0x1234'5678'9abc'def0;
  intent.venue = venue;
  intent.side = Side::buy;
  intent.outcome = Outcome::no;
  intent.tif = TimeInForce::ioc;
  intent.limit_price = Price{4400};
  intent.qty = Qty::contracts(10);
  return intent;
}

// The client order id the gateway derives from the intent id: 16 hex digits, no allocation.
std::string_view client_order_id(uint64_t intent_id, std::array<char, 16>& buffer) {
  std::array<uint8_t, 8> bytes{};
  for (size_t i = 0; i < 8; ++i)
    bytes[i] = static_cast<uint8_t>(intent_id >> (56 - 8 * i));
  write_hex(bytes, buffer.data());
  return {buffer.data(), buffer.size()};
}

// Times `op` per iteration; reports p50/p99 in ns as counters.
template <typename Op>
void run_timed(benchmark::State& state, Op&& op) {
  std::vector<double> samples;
  samples.reserve(1 << 20);
  for (auto _ : state) {
    const auto t0 = Clock::now();
    op();
    const auto t1 = Clock::now();
    const double seconds = std::chrono::duration<double>(t1 - t0).count();
    state.SetIterationTime(seconds);
    if (samples.size() < samples.capacity()) samples.push_back(seconds * 1e9);
  }
  std::sort(samples.begin(), samples.end());
  if (!samples.empty()) {
    state.counters["p50_ns"] = samples[samples.size() / 2];
    state.counters["p99_ns"] = samples[samples.size() * 99 / 100];
  }
}

// ---- Kalshi -------------------------------------------------------------------------------

KalshiOrder kalshi_order(const OrderIntent& intent, std::array<char, 16>& id_buffer) {
  const KalshiYesLeg leg = kalshi_yes_leg(intent.side, intent.outcome, intent.limit_price);
  KalshiOrder order;
  order.ticker = "KXHIGHNY-26NOV24-T60";  // from the instrument side table
  order.client_order_id = client_order_id(intent.intent_id, id_buffer);
  order.side = leg.side;
  order.yes_price = leg.yes_price;
  order.count = intent.qty;
  order.tif = intent.tif;
  return order;
}

void BM_intent_to_request_kalshi_presigned(benchmark::State& state) {
  KalshiPresignCache cache(rsa_signer(), "POST", std::string(kKalshiOrdersPath));
  const KalshiRequestBuilder builder("a952bcbe-ec3b-4b5b-b8f9-11dae589608c");
  const int64_t now = 1'764'000'000'000;
  cache.refill(now);
  const OrderIntent intent = test_intent(Venue::kalshi);
  std::array<char, 2048> buffer;
  std::array<char, 16> id;
  {  // check once: the signature handed out verifies for its timestamp
    const PresignedSignature* s = cache.take(now);
    if (!s || !KalshiSigner::verify(rsa_signer().public_key_pem(),
                                    kalshi_signing_message(s->timestamp_ms, "POST", kKalshiOrdersPath),
                                    s->signature())) {
      state.SkipWithError("pre-signed signature does not verify");
      return;
    }
  }
  run_timed(state, [&] {
    const PresignedSignature* s = cache.take(now);
    const RequestResult r =
        builder.create_order(kalshi_order(intent, id), s->timestamp_ms, s->signature(), buffer);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(buffer.data());
  });
}

void BM_intent_to_request_kalshi_rsa_inline(benchmark::State& state) {
  const KalshiRequestBuilder builder("a952bcbe-ec3b-4b5b-b8f9-11dae589608c");
  const OrderIntent intent = test_intent(Venue::kalshi);
  std::array<char, 2048> buffer;
  std::array<char, 16> id;
  int64_t now = 1'764'000'000'000;
  run_timed(state, [&] {
    const RequestResult r =
        builder.create_order_signed_inline(kalshi_order(intent, id), rsa_signer(), ++now, buffer);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(buffer.data());
  });
}

// ---- Polymarket ---------------------------------------------------------------------------

void BM_intent_to_request_polymarket_v2(benchmark::State& state) {
  PolymarketAccount account;
  account.exchange = *polymarket_exchange_address(PolymarketOrderVersion::v2, kPolygonChainId, false);
  account.api_key = "11111111-2222-3333-4444-555555555555";
  account.passphrase = "passphrase";
  PolymarketRequestBuilder builder(
      EthereumSigner::from_hex(kEthKey),
      PolymarketHmac::from_secret("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="), account);
  Word token{};
  (void)parse_uint256("71321045679252212594626385532706912750332728571942532289631379312455583992563", token);
  const OrderIntent intent = test_intent(Venue::polymarket);
  std::array<char, 4096> buffer;
  uint64_t salt = 0x9e3779b97f4a7c15;
  uint64_t now_ms = 1'764'000'000'000;
  const auto build = [&](SignedPolymarketOrder* signed_order) {
    PolymarketAmounts amounts;
    (void)polymarket_limit_amounts(intent.side, intent.limit_price, intent.qty, Price{100}, amounts);
    PolymarketOrder order = builder.order_template();
    salt ^= salt << 13, salt ^= salt >> 7, salt ^= salt << 17;  // xorshift64: a fresh salt per order
    order.salt = salt >> 11;                                    // below 2^53
    order.token_id = token;
    order.maker_amount = amounts.maker_amount;
    order.taker_amount = amounts.taker_amount;
    order.side = intent.side;
    order.timestamp_ms = ++now_ms;
    return builder.post_order(order, PolymarketOrderType::fak, false, static_cast<int64_t>(now_ms / 1000),
                              buffer, signed_order);
  };
  SignedPolymarketOrder check;
  if (!build(&check).ok() || recover_address(check.digest, check.signature) != builder.signer_address()) {
    state.SkipWithError("Polymarket order does not recover its signer");
    return;
  }
  run_timed(state, [&] {
    const RequestResult r = build(nullptr);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(buffer.data());
  });
}

void BM_secp256k1_sign_only(benchmark::State& state) {
  secp256k1_context* context = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  std::array<uint8_t, 32> secret{};
  (void)parse_hex(kEthKey, secret);
  Word digest = keccak256("digest");
  run_timed(state, [&] {
    secp256k1_ecdsa_recoverable_signature signature;
    const int ok =
        secp256k1_ecdsa_sign_recoverable(context, &signature, digest.data(), secret.data(), nullptr, nullptr);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(signature);
    ++digest[0];  // a new message each time, as each order is
  });
  secp256k1_context_destroy(context);
}

}  // namespace

BENCHMARK(BM_intent_to_request_kalshi_presigned)
    ->Name("BM_intent_to_request/kalshi/presigned")
    ->UseManualTime();
BENCHMARK(BM_intent_to_request_kalshi_rsa_inline)
    ->Name("BM_intent_to_request/kalshi/rsa_inline")
    ->UseManualTime();
BENCHMARK(BM_intent_to_request_polymarket_v2)->Name("BM_intent_to_request/polymarket/v2")->UseManualTime();
BENCHMARK(BM_secp256k1_sign_only)->Name("BM_sign/polymarket/secp256k1_only")->UseManualTime();

BENCHMARK_MAIN();
