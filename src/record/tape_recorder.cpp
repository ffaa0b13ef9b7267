#include "pmx/record/tape_recorder.h"

#include <stdexcept>

#include <fmt/format.h>

#include "pmx/feed/capture.h"

namespace pmx::record {
namespace {

const shm::TapeHeader* tape_header(const void* tape) {
  const auto* header = static_cast<const shm::TapeHeader*>(tape);
  if (header->venue >= static_cast<uint64_t>(kVenueCount))
    throw std::runtime_error(fmt::format("tape names venue {}, which pmx does not know", header->venue));
  if (header->entry_capacity == 0 || header->data_capacity < 16)
    throw std::runtime_error("tape header not initialised (entry or data capacity is 0)");
  return header;
}

}  // namespace

TapeRecorder::TapeRecorder(const void* tape, RecorderOptions options)
    : header_(tape_header(tape)),
      reader_(tape, false),
      options_(std::move(options)),
      venue_(static_cast<Venue>(header_->venue)),
      encoder_(options_.zstd_level, options_.frame_bytes, reader_.max_message_bytes()),
      writer_(options_.backend, options_.write_buffers, encoder_.max_frame_bytes()),
      message_(reader_.max_message_bytes()) {
  too_large_base_ = too_large_now();
}

TapeRecorder::~TapeRecorder() {
  (void)close_file();
}

uint64_t TapeRecorder::too_large_now() const noexcept {
  return header_->dropped_too_large.load(std::memory_order_relaxed);
}

void TapeRecorder::note_lost() noexcept {
  const uint64_t lost = lost_base_ + reader_.lost();
  file_.lost += lost - counters_.lost;
  counters_.lost = lost;
}

size_t TapeRecorder::poll(MonoNanos mono, WallNanos wall) noexcept {
  if (last_error_ != RecordError::ok) return 0;
  writer_.reap();

  // The writer re-created the tape (its head went back): read the new one from its start.
  if (header_->head.load(std::memory_order_acquire) < reader_.next_sequence()) {
    lost_base_ = counters_.lost;
    reader_ = shm::TapeReader(header_, false);
    ++counters_.tape_restarts;
  }
  if (writer_.is_open() && options_.rotation.due(writer_.file_bytes(), file_.opened, wall)) {
    if ((last_error_ = close_file()) != RecordError::ok) return 0;
  }
  if (!writer_.is_open()) {
    if (reader_.backlog() == 0) return 0;  // no file until there is something to put in it
    if ((last_error_ = open_file(mono, wall)) != RecordError::ok) return 0;
  }

  size_t read = 0;
  while (read < options_.batch) {
    // Only read while the pending frame is below its flush size: then any message fits.
    if (encoder_.should_flush() && flush_frame(mono, false) != RecordError::ok) break;
    shm::TapeReader::Message message;
    const shm::TapeReader::Status status = reader_.next(message, message_);
    if (status == shm::TapeReader::Status::empty) break;
    if (status == shm::TapeReader::Status::lost) {
      note_lost();
      continue;
    }
    if (encoder_.pending_bytes() == 0) pending_since_ns_ = mono.ns;
    const uint64_t rewritten = encoder_.rewritten();
    (void)encoder_.append(message.receive_ns, venue_, message.bytes);  // fits: checked above
    file_.rewritten += encoder_.rewritten() - rewritten;
    ++file_.messages;
    ++counters_.messages;
    counters_.message_bytes += message.bytes.size();
    ++read;
  }
  counters_.rewritten = encoder_.rewritten();
  counters_.empty = encoder_.skipped_empty();
  const uint64_t too_large = too_large_now() - too_large_base_;
  file_.too_large += too_large - counters_.too_large;
  counters_.too_large = too_large;

  if (encoder_.pending_bytes() > 0 && mono.ns - pending_since_ns_ >= options_.frame_interval_ns)
    (void)flush_frame(mono, false);
  return read;
}

RecordError TapeRecorder::flush_frame(MonoNanos mono, bool wait) noexcept {
  if (encoder_.pending_bytes() == 0) return RecordError::ok;
  std::span<char> out = writer_.buffer();
  if (out.empty()) {
    writer_.reap();
    out = writer_.buffer();
  }
  if (out.empty() && wait) {
    writer_.drain();
    out = writer_.buffer();
  }
  if (out.empty()) {
    ++counters_.deferred_flushes;
    return RecordError::no_buffer;
  }
  size_t bytes = 0;
  RecordError e = encoder_.compress(out, bytes);
  if (e != RecordError::ok) {
    last_error_ = e;
    return e;
  }
  e = writer_.submit(bytes);
  ++counters_.frames;
  ++file_.frames;
  pending_since_ns_ = mono.ns;
  if (e != RecordError::ok) last_error_ = e;
  return e;
}

RecordError TapeRecorder::open_file(MonoNanos mono, WallNanos wall) noexcept {
  try {
    RecordError e = RecordError::open_failed;
    for (unsigned attempt = 0; attempt < 100 && e != RecordError::ok; ++attempt) {
      const std::string path =
          options_.directory + "/" + capture_file_name(options_.instance, venue_, wall, attempt);
      e = writer_.open(path);
      if (e == RecordError::ok) files_.push_back(path);
      if (e != RecordError::ok && writer_.last_errno() != EEXIST) break;
    }
    if (e != RecordError::ok) return e;
  } catch (const std::bad_alloc&) {
    return RecordError::open_failed;
  }
  ++counters_.files;
  file_ = FileTally{};
  file_.opened = wall;
  // The header the capture reader parses (pmx/feed/capture.h), without its "# " and newline.
  const std::string header = capture_header_line(wall.ns - mono.ns);
  (void)encoder_.append_comment(std::string_view(header).substr(2, header.size() - 3));
  pending_since_ns_ = mono.ns;
  return RecordError::ok;
}

RecordError TapeRecorder::close_file() noexcept {
  if (!writer_.is_open()) return RecordError::ok;
  // The trailer's frame is the file's last: count it in.
  char trailer[200];
  const auto n = fmt::format_to_n(
      trailer, sizeof trailer, "pmx-capture end messages={} lost={} frames={} rewritten={} too_large={}",
      file_.messages, file_.lost, file_.frames + 1, file_.rewritten, file_.too_large);
  (void)encoder_.append_comment(std::string_view(trailer, n.size < sizeof trailer ? n.size : sizeof trailer));
  RecordError e = flush_frame(MonoNanos{pending_since_ns_}, true);
  const RecordError closed = writer_.close();
  if (e == RecordError::ok) e = closed;
  return e;
}

RecordError TapeRecorder::finish() noexcept {
  const RecordError e = close_file();
  if (last_error_ == RecordError::ok) last_error_ = e;
  return e;
}

}  // namespace pmx::record
