#include "pmx/feed/kalshi/kalshi_sequencer.h"

namespace pmx {

KalshiSequencer::Verdict KalshiSequencer::check(uint32_t sid, uint64_t seq) {
  if (sid >= sids_.size()) sids_.resize(sid + 1);
  SidState& s = sids_[sid];
  if (!s.seen) {
    s.seen = true;
    s.last_seq = seq;
    return Verdict::in_order;
  }
  if (seq <= s.last_seq) return Verdict::duplicate;
  const bool gap = seq != s.last_seq + 1;
  s.last_seq = seq;
  return gap ? Verdict::gap : Verdict::in_order;
}

void KalshiSequencer::on_snapshot(InstrumentId id, uint32_t sid) {
  if (id.value >= instruments_.size()) instruments_.resize(id.value + 1);
  instruments_[id.value] = InstrumentState{sid, false};
}

void KalshiSequencer::reset_sid(uint32_t sid) noexcept {
  if (sid < sids_.size()) sids_[sid] = SidState{};
}

void KalshiSequencer::reserve(uint32_t max_sid, uint32_t instruments) {
  if (sids_.size() < max_sid + 1) sids_.resize(max_sid + 1);
  if (instruments_.size() < instruments) instruments_.resize(instruments);
}

}  // namespace pmx
