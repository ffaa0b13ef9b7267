#include "pmx/gateway/kalshi_presign_cache.h"

#include <cstring>

namespace pmx::gateway {

KalshiPresignCache::KalshiPresignCache(const KalshiSigner& signer, std::string method, std::string path,
                                       PresignConfig config)
    : signer_(&signer),
      method_(std::move(method)),
      path_(std::move(path)),
      config_(config),
      ring_((config.capacity >= 2 && (config.capacity & (config.capacity - 1)) == 0) ? config.capacity : 2) {
  if (config_.step_ms <= 0 || config_.horizon_ms < 0 || config_.max_age_ms < config_.step_ms ||
      config_.capacity != ring_->capacity() ||
      static_cast<size_t>(config_.horizon_ms / config_.step_ms) + 1 >= config_.capacity) {
    throw SigningError(
        "Kalshi pre-signing: need step_ms > 0, max_age_ms >= step_ms, a power-of-two capacity above "
        "horizon_ms / step_ms + 1");
  }
  if (signer_->sign(0, method_, path_).size() > kMaxKalshiSignatureChars)
    throw SigningError("Kalshi pre-signing: keys above 4096 bits are not supported");
}

int KalshiPresignCache::refill(int64_t now_ms) noexcept {
  // Behind (nothing signed for a while): restart at now; older timestamps are useless.
  if (next_timestamp_ms_ < now_ms) next_timestamp_ms_ = now_ms;
  int made = 0;
  while (next_timestamp_ms_ <= now_ms + config_.horizon_ms) {
    PresignedSignature* slot = ring_->try_claim();
    if (!slot) break;  // full: the gateway has not released older records yet
    try {
      const std::string signature = signer_->sign(next_timestamp_ms_, method_, path_);
      slot->timestamp_ms = next_timestamp_ms_;
      slot->length = static_cast<uint16_t>(signature.size());
      std::memcpy(slot->base64, signature.data(), signature.size());
    } catch (...) {  // SigningError, std::bad_alloc: count it, leave the slot unpublished
      increment_relaxed(sign_failures_);
      break;
    }
    ring_->publish();
    increment_relaxed(signed_);
    next_timestamp_ms_ += config_.step_ms;
    ++made;
  }
  return made;
}

const PresignedSignature* KalshiPresignCache::drop_stale(int64_t now_ms) noexcept {
  for (;;) {
    const PresignedSignature* front = ring_->front();
    if (!front || front->timestamp_ms > now_ms) return nullptr;
    const bool too_old = now_ms - front->timestamp_ms > config_.max_age_ms;
    // Records are step_ms apart, so the next one is also usable (and newer) once front + step has
    // passed — provided it exists; the size check keeps the only usable record.
    const bool superseded = front->timestamp_ms + config_.step_ms <= now_ms && ring_->size_approx() >= 2;
    if (!too_old && !superseded) return front;
    ring_->pop();
  }
}

const PresignedSignature* KalshiPresignCache::take(int64_t now_ms) noexcept {
  const PresignedSignature* record = drop_stale(now_ms);
  increment_relaxed(record ? hits_ : misses_);
  return record;
}

void KalshiPresignCache::release_stale(int64_t now_ms) noexcept {
  (void)drop_stale(now_ms);
}

}  // namespace pmx::gateway
