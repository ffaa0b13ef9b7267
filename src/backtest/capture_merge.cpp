#include "pmx/backtest/capture_merge.h"

#include <stdexcept>

#include "pmx/feed/feed_error.h"

namespace pmx {

struct CaptureMerge::Input {
  CaptureInput source;
  CaptureReader reader;
  CaptureRecord head;
  bool has_head = false;
};

CaptureInput parse_capture_argument(std::string_view argument) {
  CaptureInput input;
  if (argument.substr(0, 7) == "kalshi:") {
    input.bare_venue = Venue::kalshi;
    argument.remove_prefix(7);
  } else if (argument.substr(0, 11) == "polymarket:") {
    input.bare_venue = Venue::polymarket;
    argument.remove_prefix(11);
  }
  input.path = std::string(argument);
  return input;
}

CaptureMerge::CaptureMerge(std::vector<CaptureInput> inputs) {
  for (CaptureInput& source : inputs) {
    auto input = std::make_unique<Input>();
    input->source = std::move(source);
    CaptureReader::Options options;
    options.bare_venue = input->source.bare_venue;
    if (input->reader.open(input->source.path, options) != FeedError::ok)
      throw std::runtime_error(input->source.path + ": cannot open the capture file");
    inputs_.push_back(std::move(input));
  }
  for (auto& input : inputs_)
    input->has_head = advance(*input);
}

CaptureMerge::~CaptureMerge() = default;

bool CaptureMerge::advance(Input& input) noexcept {
  if (!input.reader.next(input.head)) return false;
  if (input.source.bare_venue)
    input.head.recv_ts = MonoNanos{static_cast<int64_t>(input.head.line_number) * kBareFrameSpacingNs};
  return true;
}

bool CaptureMerge::next(MergedRecord& out) noexcept {
  if (last_ != nullptr) {
    last_->has_head = advance(*last_);
    last_ = nullptr;
  }
  Input* best = nullptr;
  size_t best_index = 0;
  for (size_t i = 0; i < inputs_.size(); ++i) {
    Input& input = *inputs_[i];
    if (!input.has_head) continue;
    if (best == nullptr || input.head.recv_ts < best->head.recv_ts) {  // strict: ties keep the earlier input
      best = &input;
      best_index = i;
    }
  }
  if (best == nullptr) return false;
  out.received = best->head.recv_ts;
  out.venue = best->head.venue;
  out.frame = best->head.frame.bytes;
  out.input = best_index;
  last_ = best;
  return true;
}

std::optional<int64_t> CaptureMerge::wall_minus_mono_ns() const noexcept {
  for (const auto& input : inputs_)
    if (input->reader.wall_minus_mono_ns()) return input->reader.wall_minus_mono_ns();
  return std::nullopt;
}

uint64_t CaptureMerge::headers_disagree() const noexcept {
  const std::optional<int64_t> first = wall_minus_mono_ns();
  uint64_t n = 0;
  for (const auto& input : inputs_) {
    const std::optional<int64_t> mine = input->reader.wall_minus_mono_ns();
    n += mine && mine != first ? 1 : 0;
  }
  return n;
}

CaptureCounters CaptureMerge::counters() const noexcept {
  CaptureCounters sum;
  for (const auto& input : inputs_) {
    const CaptureCounters& c = input->reader.counters();
    sum.lines += c.lines;
    sum.records += c.records;
    sum.blank_lines += c.blank_lines;
    sum.comment_lines += c.comment_lines;
    sum.bad_lines += c.bad_lines;
    sum.bad_headers += c.bad_headers;
    for (size_t i = 0; i < sum.errors.size(); ++i)
      sum.errors[i] += c.errors[i];
  }
  return sum;
}

std::string CaptureMerge::error() const {
  for (const auto& input : inputs_)
    if (input->reader.error() != FeedError::ok)
      return input->source.path + ": " + std::string(to_string(input->reader.error()));
  return {};
}

}  // namespace pmx
