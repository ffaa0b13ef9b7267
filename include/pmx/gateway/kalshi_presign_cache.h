// KalshiPresignCache: Kalshi signatures computed ahead of time, so that sending an order costs
// no RSA operation on the gateway thread (library pmx_signing).
//
// Why it works: Kalshi signs timestamp_ms + METHOD + path and not the body, so the signature of
// `POST /trade-api/v2/portfolio/events/orders` for a coming millisecond can be made before the
// order exists. An RSA-2048 PSS signature costs ~0.2 ms (bench_gateway p50; far more under
// load); a header from the cache costs a copy.
//
// Design: one SPSC ring (pmx/ring/spsc_ring.h) of (timestamp_ms, base64 signature) records in
// increasing timestamp order, `step_ms` apart.
//
//   signer thread   refill(now_ms): signs the timestamps from now_ms to now_ms + horizon_ms that
//                   are not yet in the ring, while the ring has room (allocates: OpenSSL)
//   gateway thread  take(now_ms): drops records older than max_age_ms and records the next one
//                   supersedes (records are step_ms apart, so once front + step_ms <= now_ms a
//                   queued successor is newer and not in the future), then returns the front if
//                   its timestamp is <= now_ms — read in place, valid until the next take() or
//                   release_stale(); null on a miss, and the caller signs inline. (After the
//                   signer restarted at a later now, the successor may lie in the future: that
//                   rare case is a miss, never a wrong timestamp.)
//                   release_stale(now_ms): the same dropping, for the gateway's idle loop, so
//                   the signer always finds room for fresh timestamps
//
// Why threaded rather than a single-threaded structure refilled between orders: a refill blocks
// for a whole RSA operation (0.2 ms and up), and an intent arriving meanwhile would wait for it.
// The ring's release/acquire pairs order each record's bytes (see spsc_ring.h); there is no lock.
//
// The request then carries the record's timestamp, up to step_ms old (at most max_age_ms if the
// signer lags). Kalshi does not publish its clock tolerance; a few tens of milliseconds are far
// inside any practical one. Two orders within one step share a signature, exactly as two orders
// signed inline in the same millisecond would share the signed message.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "pmx/gateway/kalshi_signer.h"
#include "pmx/ring/spsc_ring.h"

namespace pmx::gateway {

// base64 of an RSA-4096 signature (512 bytes): the largest key the cache holds.
inline constexpr size_t kMaxKalshiSignatureChars = 684;

struct PresignedSignature {
  int64_t timestamp_ms = 0;
  uint16_t length = 0;
  char base64[kMaxKalshiSignatureChars] = {};

  std::string_view signature() const noexcept { return {base64, length}; }
};
static_assert(std::is_trivially_copyable_v<PresignedSignature>, "records are ring slots");

struct PresignConfig {
  int64_t step_ms = 10;     // spacing of signed timestamps: the signer's duty is sign_time / step_ms
  int64_t horizon_ms = 80;  // how far ahead of now refill() signs
  int64_t max_age_ms = 50;  // older records are never handed out
  size_t capacity = 16;     // ring records, a power of two > horizon_ms / step_ms + 1
};

class KalshiPresignCache {
 public:
  // Throws SigningError when the configuration is inconsistent or the key's signatures do not
  // fit a record. `signer` must outlive the cache.
  KalshiPresignCache(const KalshiSigner& signer, std::string method, std::string path,
                     PresignConfig config = {});

  KalshiPresignCache(const KalshiPresignCache&) = delete;
  KalshiPresignCache& operator=(const KalshiPresignCache&) = delete;

  // ---- signer thread ---------------------------------------------------------------------
  // Returns how many signatures it made. Never throws: a failed signature is counted.
  int refill(int64_t now_ms) noexcept;

  // ---- gateway thread --------------------------------------------------------------------
  const PresignedSignature* take(int64_t now_ms) noexcept;
  void release_stale(int64_t now_ms) noexcept;

  std::string_view method() const noexcept { return method_; }
  std::string_view path() const noexcept { return path_; }
  const PresignConfig& config() const noexcept { return config_; }

  // Counters, each written by one thread (relaxed), readable from any.
  uint64_t hits() const noexcept { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const noexcept { return misses_.load(std::memory_order_relaxed); }
  uint64_t signed_count() const noexcept { return signed_.load(std::memory_order_relaxed); }
  uint64_t sign_failures() const noexcept { return sign_failures_.load(std::memory_order_relaxed); }

 private:
  // Drops what take() must never return; leaves the best candidate (if any) at the front.
  const PresignedSignature* drop_stale(int64_t now_ms) noexcept;
  static void increment_relaxed(std::atomic<uint64_t>& counter) noexcept {
    counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }

  const KalshiSigner* signer_;
  std::string method_;
  std::string path_;
  PresignConfig config_;
  SpscRingBuffer<PresignedSignature> ring_;

  // Signer thread only.
  alignas(kFalseSharingRange) int64_t next_timestamp_ms_ = 0;
  std::atomic<uint64_t> signed_{0};
  std::atomic<uint64_t> sign_failures_{0};
  // Gateway thread only.
  alignas(kFalseSharingRange) std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

}  // namespace pmx::gateway
