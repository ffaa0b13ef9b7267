// pmx-record: the engine's raw feed tapes -> zstd capture files, from shared memory.
//
//   pmx-record [--instance NAME] --out DIR [--rotate-mb N] [--rotate-hours H] [--zstd-level L]
//
// Attaches read-only to /pmx.<instance> (waiting for the engine if it is not running), records
// every tape into its own series of files (one per venue, rotated by size and by UTC hour, see
// pmx/record/rotation.h), and on an engine restart drains the old tapes, closes their files and
// reattaches. SIGINT/SIGTERM: the pending frames and trailers are written, a summary is printed
// on stdout (one line per tape, then the totals, with the messages lost to tape overruns), exit
// 0. Exit 1 when a capture file cannot be created or written; 2 on a bad command line or a
// segment of another layout version.
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <signal.h>
#include <time.h>

#include "pmx/core/clock.h"
#include "pmx/record/tape_recorder.h"
#include "pmx/shm/segment.h"

namespace {

namespace shm = pmx::shm;
namespace record = pmx::record;

constexpr int kWriteFailed = 1;
constexpr int kUsage = 2;
constexpr int64_t kAttachRetryNs = 200'000'000;
constexpr int64_t kReplacedCheckNs = 100'000'000;
constexpr int64_t kCaughtUpSleepNs = 1'000'000;

volatile sig_atomic_t g_stop = 0;
void on_signal(int) {
  g_stop = 1;
}

void sleep_ns(int64_t ns) {
  const timespec t{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
  nanosleep(&t, nullptr);  // EINTR: the loop re-checks g_stop
}

// Counters of one tape index over every engine this run attached to.
struct Totals {
  bool seen = false;
  pmx::Venue venue = pmx::Venue::kalshi;
  record::RecorderCounters sum;
  void add(const record::RecorderCounters& c) {
    sum.messages += c.messages;
    sum.message_bytes += c.message_bytes;
    sum.lost += c.lost;
    sum.too_large += c.too_large;
    sum.rewritten += c.rewritten;
    sum.empty += c.empty;
    sum.frames += c.frames;
    sum.files += c.files;
    sum.deferred_flushes += c.deferred_flushes;
    sum.tape_restarts += c.tape_restarts;
  }
};

class Recorder {
 public:
  Recorder(std::string instance, record::RecorderOptions options)
      : instance_(std::move(instance)), options_(std::move(options)) {}

  // The main loop; returns the exit code.
  int run(double duration_s) {
    const int64_t start = pmx::mono_now().ns;
    int64_t next_attach = 0, next_replaced_check = 0;
    while (g_stop == 0) {
      const pmx::MonoNanos mono = pmx::mono_now();
      if (duration_s > 0 && static_cast<double>(mono.ns - start) >= duration_s * 1e9) break;
      if (!reader_ && mono.ns >= next_attach) {
        next_attach = mono.ns + kAttachRetryNs;
        if (!attach()) return kUsage;
      }
      behind_ = false;
      if (reader_) {
        add_new_tapes();
        poll_all(mono);
        if (failed_) return finish_all(), kWriteFailed;
        if (mono.ns >= next_replaced_check) {
          next_replaced_check = mono.ns + kReplacedCheckNs;
          if (reader_->replaced()) {
            if (!detach("engine " + instance_ + " restarted or stopped; files closed, reattaching"))
              return kWriteFailed;
          }
        }
      }
      // Caught up: sleep 1 ms before reading again. Reading right behind the writer would pull
      // the cache lines it is still filling (the next index entry, the rest of a data line) to
      // this CPU after every message and make each of its next stores a miss; a millisecond
      // behind, the lines read are ones the writer has left. 1 ms is far less than a lap of an
      // engine tape (64 Ki entries: 50 ms at 1.3 M messages/s).
      if (!behind_) sleep_ns(kCaughtUpSleepNs);
    }
    if (reader_ && !detach("")) return kWriteFailed;
    return failed_ ? kWriteFailed : 0;
  }

  void print_summary() const {
    Totals total;
    for (size_t t = 0; t < totals_.size(); ++t) {
      const Totals& x = totals_[t];
      if (!x.seen) continue;
      total.add(x.sum);
      std::printf(
          "pmx-record: tape %zu %s: messages=%llu bytes=%llu lost=%llu too_large=%llu files=%llu "
          "frames=%llu rewritten=%llu deferred_flushes=%llu\n",
          t, std::string(pmx::to_string(x.venue)).c_str(), static_cast<unsigned long long>(x.sum.messages),
          static_cast<unsigned long long>(x.sum.message_bytes), static_cast<unsigned long long>(x.sum.lost),
          static_cast<unsigned long long>(x.sum.too_large), static_cast<unsigned long long>(x.sum.files),
          static_cast<unsigned long long>(x.sum.frames), static_cast<unsigned long long>(x.sum.rewritten),
          static_cast<unsigned long long>(x.sum.deferred_flushes));
    }
    std::printf("pmx-record: total messages=%llu lost=%llu files=%llu\n",
                static_cast<unsigned long long>(total.sum.messages),
                static_cast<unsigned long long>(total.sum.lost),
                static_cast<unsigned long long>(total.sum.files));
    std::fflush(stdout);
  }

 private:
  // False on an error that waiting cannot fix (wrong layout version, bad name).
  bool attach() {
    try {
      reader_ = std::make_unique<shm::StateReader>(instance_);
      std::fprintf(stderr, "pmx-record: attached to engine %s (pid %lld), %u tapes\n", instance_.c_str(),
                   static_cast<long long>(reader_->header().engine_pid), reader_->geometry().tape_count);
      waiting_said_ = false;
      return true;
    } catch (const shm::SegmentError& e) {
      // A segment another layout wrote, or a bad name, will not change by waiting. A system
      // error can be an engine caught creating its segment (mapped before it has a size).
      const auto kind = e.kind();
      if (kind != shm::SegmentError::Kind::no_engine && kind != shm::SegmentError::Kind::system) {
        std::fprintf(stderr, "pmx-record: %s\n", e.what());
        return false;
      }
      if (!waiting_said_) std::fprintf(stderr, "pmx-record: %s; waiting for it\n", e.what());
      waiting_said_ = true;
      return true;
    }
  }

  // A tape gets its recorder once its writer has published a message (its header is set then).
  void add_new_tapes() {
    const uint32_t count = std::min<uint32_t>(reader_->geometry().tape_count, shm::kMaxTapes);
    for (uint32_t t = 0; t < count; ++t) {
      if (tapes_[t]) continue;
      const auto* header = static_cast<const shm::TapeHeader*>(reader_->tape(t));
      if (header->head.load(std::memory_order_acquire) == 0) continue;
      try {
        tapes_[t] = std::make_unique<record::TapeRecorder>(header, options_);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "pmx-record: tape %u not recorded: %s\n", t, e.what());
        continue;
      }
      if (!backend_said_) {
        if (tapes_[t]->backend() == record::IoBackend::io_uring) {
          std::fprintf(stderr, "pmx-record: writing through io_uring\n");
        } else if (!tapes_[t]->fallback_reason().empty()) {
          std::fprintf(stderr, "pmx-record: io_uring unavailable (%s); writing with pwrite(2) instead\n",
                       tapes_[t]->fallback_reason().c_str());
        } else {
          std::fprintf(stderr, "pmx-record: writing with pwrite(2) (--no-io-uring)\n");
        }
        backend_said_ = true;
      }
      totals_[t].seen = true;
      totals_[t].venue = tapes_[t]->venue();
      std::fprintf(stderr, "pmx-record: recording tape %u (%s) into %s\n", t,
                   std::string(pmx::to_string(tapes_[t]->venue())).c_str(), options_.directory.c_str());
    }
  }

  size_t poll_all(pmx::MonoNanos mono) {
    const pmx::WallNanos wall = pmx::wall_now();
    size_t work = 0;
    behind_ = false;
    for (auto& tape : tapes_) {
      if (!tape) continue;
      const size_t read = tape->poll(mono, wall);
      work += read;
      behind_ = behind_ || read == options_.batch;
      if (tape->last_error() != record::RecordError::ok) {
        std::fprintf(stderr, "pmx-record: %s tape: %s (errno %d: %s)\n",
                     std::string(pmx::to_string(tape->venue())).c_str(),
                     std::string(record::to_string(tape->last_error())).c_str(), tape->last_errno(),
                     std::strerror(tape->last_errno()));
        failed_ = true;
      }
    }
    return work;
  }

  // Reads every tape to its end (the mapping outlives the engine), closes the files.
  bool detach(const std::string& message) {
    for (int round = 0; round < 1'000'000 && !failed_; ++round) {
      bool backlog = false;
      poll_all(pmx::mono_now());
      for (auto& tape : tapes_)
        backlog = backlog || (tape && tape->backlog() > 0);
      if (!backlog) break;
    }
    finish_all();
    reader_.reset();
    if (!message.empty()) std::fprintf(stderr, "pmx-record: %s\n", message.c_str());
    return !failed_;
  }

  void finish_all() {
    for (size_t t = 0; t < tapes_.size(); ++t) {
      if (!tapes_[t]) continue;
      if (tapes_[t]->finish() != record::RecordError::ok) {
        std::fprintf(stderr, "pmx-record: closing the %s file: %s\n",
                     std::string(pmx::to_string(tapes_[t]->venue())).c_str(),
                     std::string(record::to_string(tapes_[t]->last_error())).c_str());
        failed_ = true;
      }
      if (tapes_[t]->write_errors() > 0) {
        std::fprintf(stderr, "pmx-record: %llu frames of the %s tape could not be written (errno %d)\n",
                     static_cast<unsigned long long>(tapes_[t]->write_errors()),
                     std::string(pmx::to_string(tapes_[t]->venue())).c_str(), tapes_[t]->last_errno());
        failed_ = true;
      }
      totals_[t].add(tapes_[t]->counters());
      tapes_[t].reset();
    }
  }

  std::string instance_;
  record::RecorderOptions options_;
  std::unique_ptr<shm::StateReader> reader_;
  std::array<std::unique_ptr<record::TapeRecorder>, shm::kMaxTapes> tapes_;
  std::array<Totals, shm::kMaxTapes> totals_;
  bool waiting_said_ = false;
  bool backend_said_ = false;
  bool failed_ = false;
  bool behind_ = false;  // the last poll_all() read a full batch from some tape
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "pmx-record: records the raw feed messages of a running pmx engine (its shared-memory tapes) into "
      "zstd capture files, one series per venue, read-only: it never slows the engine. Messages the "
      "engine overwrote before they were read are counted exactly (lost=) in the summary and in each "
      "file's trailer."};
  std::string instance = "pmx";
  std::string out_dir;
  double rotate_mb = 256;
  double rotate_hours = 1;
  int zstd_level = 3;
  size_t frame_kb = 256;
  bool no_io_uring = false;
  double duration_s = 0;
  app.add_option("--instance", instance, "Engine instance (shared memory /pmx.<NAME>)")
      ->capture_default_str();
  app.add_option("--out", out_dir, "Directory for the capture files (created if missing)")
      ->required()
      ->type_name("DIR");
  app.add_option("--rotate-mb", rotate_mb, "Start a new file after this many compressed MB (0: never)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--rotate-hours", rotate_hours,
                 "Start a new file at every UTC block of this many hours (0: never)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--zstd-level", zstd_level, "zstd compression level")
      ->check(CLI::Range(1, 19))
      ->capture_default_str();
  app.add_option("--frame-kb", frame_kb,
                 "Uncompressed KB per zstd frame (a frame is also written every second): what a crash "
                 "can lose at most")
      ->check(CLI::Range(size_t{4}, size_t{16384}))
      ->capture_default_str();
  app.add_flag("--no-io-uring", no_io_uring, "Write with pwrite(2) instead of io_uring");
  app.add_option("--duration", duration_s, "Stop after this many seconds (0: at SIGINT/SIGTERM)")
      ->check(CLI::NonNegativeNumber)
      ->type_name("S");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : kUsage;
  }
  if (!shm::valid_instance_name(instance)) {
    std::fprintf(stderr, "pmx-record: invalid instance name '%s': use 1-48 of [A-Za-z0-9_-]\n",
                 instance.c_str());
    return kUsage;
  }
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec || !std::filesystem::is_directory(out_dir)) {
    std::fprintf(stderr, "pmx-record: --out %s: not a directory we can create (%s)\n", out_dir.c_str(),
                 ec.message().c_str());
    return kUsage;
  }

  record::RecorderOptions options;
  options.directory = out_dir;
  options.instance = instance;
  options.rotation.max_bytes = static_cast<uint64_t>(rotate_mb * 1024 * 1024);
  options.rotation.period_ns = static_cast<int64_t>(rotate_hours * 3600e9);
  options.zstd_level = zstd_level;
  options.frame_bytes = frame_kb * 1024;
  options.backend = no_io_uring ? record::IoBackend::pwrite : record::IoBackend::io_uring;

  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  Recorder recorder(instance, options);
  const int rc = recorder.run(duration_s);
  recorder.print_summary();
  return rc;
}
