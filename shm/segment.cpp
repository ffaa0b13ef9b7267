#include "pmx/shm/segment.h"

#include <cerrno>
#include <cstring>
#include <new>

#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pmx/core/clock.h"

namespace bip = boost::interprocess;

namespace pmx::shm {
namespace {

constexpr uint64_t align_up(uint64_t n, uint64_t a) noexcept {
  return (n + a - 1) / a * a;
}

// Boost.Interprocess names carry no leading slash; /dev/shm/<name> is the object.
std::string boost_name(const std::string& posix_name) {
  return posix_name.substr(1);
}
std::string dev_shm_path(const std::string& posix_name) {
  return "/dev/shm" + posix_name;
}

void copy_name(char* dst, size_t capacity, std::string_view name) noexcept {
  const size_t n = name.size() < capacity - 1 ? name.size() : capacity - 1;
  std::memcpy(dst, name.data(), n);
  dst[n] = '\0';
}

bool is_power_of_two(uint64_t v) noexcept {
  return v != 0 && (v & (v - 1)) == 0;
}

[[noreturn]] void throw_system(const std::string& what) {
  throw SegmentError(SegmentError::Kind::system, what + ": " + std::strerror(errno));
}

}  // namespace

std::string state_segment_name(std::string_view instance) {
  return "/pmx." + std::string(instance);
}
std::string control_segment_name(std::string_view instance) {
  return "/pmx." + std::string(instance) + ".ctl";
}

bool valid_instance_name(std::string_view instance) noexcept {
  if (instance.empty() || instance.size() > 48) return false;
  for (char c : instance) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

SectionOffsets compute_offsets(const Geometry& g) noexcept {
  SectionOffsets o{};
  uint64_t at = kSectionAlign;  // the header's page
  auto take = [&](uint64_t bytes) {
    const uint64_t start = at;
    at = align_up(at + bytes, kSectionAlign);
    return start;
  };
  o.counters = take(kMaxCounters * sizeof(CounterSlot));
  o.threads = take(kMaxThreads * sizeof(ThreadSlot));
  o.rings = take(kMaxRings * sizeof(RingSlot));
  o.histograms = take(kStageCount * sizeof(LatencyHistogram));
  o.instruments = take(uint64_t{g.max_instruments} * sizeof(InstrumentSlot));
  o.books = take(uint64_t{g.max_instruments} * sizeof(BookSlot));
  o.positions = take(uint64_t{g.max_positions} * sizeof(PositionSlot));
  o.account = take(sizeof(AccountSection));
  o.opportunities = take(record_log_bytes<OpportunityRow>(g.opportunity_capacity));
  o.orders = take(record_log_bytes<OrderRow>(g.order_capacity));
  o.tape_stride = align_up(tape_bytes(g.tape_entries, g.tape_bytes), kSectionAlign);
  o.tapes = take(o.tape_stride * g.tape_count);
  o.total = at;
  return o;
}

// ---- StateWriter ------------------------------------------------------------------------------

struct StateWriter::Impl {
  std::string instance;
  int lock_fd = -1;
  bip::shared_memory_object state;
  bip::mapped_region state_region;
  bip::shared_memory_object control;
  bip::mapped_region control_region;

  ~Impl() {
    // A clean exit removes both segments; tools see "no engine" and wait for the next one.
    if (state_region.get_address() != nullptr) {
      bip::shared_memory_object::remove(boost_name(state_segment_name(instance)).c_str());
      bip::shared_memory_object::remove(boost_name(control_segment_name(instance)).c_str());
    }
    if (lock_fd >= 0) ::close(lock_fd);  // releases the flock
  }
};

StateWriter::StateWriter(std::string_view instance, const Geometry& g, TradingMode mode)
    : impl_(std::make_unique<Impl>()) {
  if (!valid_instance_name(instance))
    throw SegmentError(SegmentError::Kind::bad_name,
                       "invalid instance name '" + std::string(instance) + "': use 1-48 of [A-Za-z0-9_-]");
  if (!is_power_of_two(g.opportunity_capacity) || !is_power_of_two(g.order_capacity) ||
      !is_power_of_two(g.tape_entries) || !is_power_of_two(g.tape_bytes) || g.tape_count > kMaxTapes)
    throw SegmentError(SegmentError::Kind::system, "segment geometry: capacities must be powers of two");
  impl_->instance = std::string(instance);
  const std::string state_name = state_segment_name(instance);
  const std::string control_name = control_segment_name(instance);

  // 1. The instance lock: exclusive for the engine's whole life, dropped by the kernel on death.
  const std::string lock_path = dev_shm_path(state_name) + ".lock";
  impl_->lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (impl_->lock_fd < 0) throw_system("cannot open " + lock_path);
  if (::flock(impl_->lock_fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[32] = {};
    const ssize_t n = ::pread(impl_->lock_fd, buf, sizeof buf - 1, 0);
    const std::string holder = n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string("unknown");
    ::close(impl_->lock_fd);
    impl_->lock_fd = -1;
    throw SegmentError(SegmentError::Kind::instance_held,
                       "instance '" + std::string(instance) + "' is already run by engine pid " + holder +
                           " (lock " + lock_path + "); stop it or choose another --instance");
  }
  const std::string pid = std::to_string(::getpid());
  if (::ftruncate(impl_->lock_fd, 0) != 0 || ::pwrite(impl_->lock_fd, pid.data(), pid.size(), 0) < 0)
    throw_system("cannot write " + lock_path);

  // 2. Replace whatever a dead engine left behind.
  bip::shared_memory_object::remove(boost_name(state_name).c_str());
  bip::shared_memory_object::remove(boost_name(control_name).c_str());

  const SectionOffsets o = compute_offsets(g);
  try {
    const bip::permissions owner_only(0600);
    impl_->state = bip::shared_memory_object(bip::create_only, boost_name(state_name).c_str(),
                                             bip::read_write, owner_only);
    impl_->state.truncate(static_cast<bip::offset_t>(o.total));
    impl_->state_region = bip::mapped_region(impl_->state, bip::read_write);
    impl_->control = bip::shared_memory_object(bip::create_only, boost_name(control_name).c_str(),
                                               bip::read_write, owner_only);
    impl_->control.truncate(sizeof(ControlBlock));
    impl_->control_region = bip::mapped_region(impl_->control, bip::read_write);
  } catch (const bip::interprocess_exception& e) {
    throw SegmentError(SegmentError::Kind::system, "cannot create " + state_name + ": " + e.what());
  }

  // 3. Build the layout in the fresh (zero-filled) memory; the magic goes last.
  char* base = static_cast<char*>(impl_->state_region.get_address());
  header_ = ::new (base) SegmentHeader{};
  header_->layout_version = kLayoutVersion;
  header_->header_bytes = sizeof(SegmentHeader);
  header_->total_bytes = o.total;
  header_->geometry = g;
  header_->counters_offset = o.counters;
  header_->threads_offset = o.threads;
  header_->rings_offset = o.rings;
  header_->histograms_offset = o.histograms;
  header_->instruments_offset = o.instruments;
  header_->books_offset = o.books;
  header_->positions_offset = o.positions;
  header_->account_offset = o.account;
  header_->opportunities_offset = o.opportunities;
  header_->orders_offset = o.orders;
  header_->tapes_offset = o.tapes;
  header_->tape_stride = o.tape_stride;
  header_->engine_pid = ::getpid();
  header_->start_wall_ns = wall_now().ns;
  header_->start_mono_ns = mono_now().ns;
  copy_name(header_->instance, sizeof header_->instance, instance);
  header_->heartbeat_ns.store(header_->start_mono_ns, std::memory_order_relaxed);
  EngineStatus status;
  status.mode = mode;
  header_->status.store(status);

  counters_ = ::new (base + o.counters) CounterSlot[kMaxCounters]{};
  threads_ = ::new (base + o.threads) ThreadSlot[kMaxThreads]{};
  rings_ = ::new (base + o.rings) RingSlot[kMaxRings]{};
  histograms_ = ::new (base + o.histograms) LatencyHistogram[kStageCount]{};
  instruments_ = ::new (base + o.instruments) InstrumentSlot[g.max_instruments]{};
  books_ = ::new (base + o.books) BookSlot[g.max_instruments]{};
  positions_ = ::new (base + o.positions) PositionSlot[g.max_positions]{};
  for (uint32_t i = 0; i < g.max_positions; ++i) {
    PositionRow empty;
    positions_[i].row.store(empty);
  }
  account_ = ::new (base + o.account) AccountSection{};
  opportunity_log_ = ::new (base + o.opportunities) RecordLogHeader<OpportunityRow>{};
  opportunity_log_->capacity = g.opportunity_capacity;
  ::new (opportunity_log_ + 1) RecordSlot<OpportunityRow>[g.opportunity_capacity] {};
  order_log_ = ::new (base + o.orders) RecordLogHeader<OrderRow>{};
  order_log_->capacity = g.order_capacity;
  ::new (order_log_ + 1) RecordSlot<OrderRow>[g.order_capacity] {};

  auto* control = ::new (impl_->control_region.get_address()) ControlBlock{};
  control->version = kControlVersion;
  control->slots = kCommandSlots;
  control->engine_pid = ::getpid();
  control->magic.store(kControlMagic, std::memory_order_release);
  poller_ = ControlPoller(control);

  header_->magic.store(kStateMagic, std::memory_order_release);
}

StateWriter::~StateWriter() = default;

Counter StateWriter::add_counter(std::string_view name) {
  for (uint32_t i = 0; i < counters_used_; ++i)
    if (name == counters_[i].name)
      throw SegmentError(SegmentError::Kind::system, "counter registered twice: " + std::string(name));
  if (counters_used_ == kMaxCounters) throw SegmentError(SegmentError::Kind::system, "counter table full");
  CounterSlot& slot = counters_[counters_used_++];
  copy_name(slot.name, sizeof slot.name, name);
  slot.registered.store(1, std::memory_order_release);  // readers acquire before reading the name
  return Counter(&slot.value);
}

ThreadSlot& StateWriter::add_thread(std::string_view name, int cpu) {
  if (threads_used_ == kMaxThreads) throw SegmentError(SegmentError::Kind::system, "thread table full");
  ThreadSlot& slot = threads_[threads_used_++];
  copy_name(slot.name, sizeof slot.name, name);
  slot.cpu = cpu;
  slot.registered.store(1, std::memory_order_release);
  return slot;
}

RingSlot& StateWriter::add_ring(std::string_view name, uint64_t capacity) {
  if (rings_used_ == kMaxRings) throw SegmentError(SegmentError::Kind::system, "ring table full");
  RingSlot& slot = rings_[rings_used_++];
  copy_name(slot.name, sizeof slot.name, name);
  slot.capacity = capacity;
  slot.registered.store(1, std::memory_order_release);
  return slot;
}

void StateWriter::add_instrument(uint32_t instrument, uint8_t venue, std::string_view name) {
  if (instrument >= header_->geometry.max_instruments)
    throw SegmentError(SegmentError::Kind::system, "instrument id beyond the segment's max_instruments");
  InstrumentSlot& slot = instruments_[instrument];
  slot.venue = venue;
  copy_name(slot.name, sizeof slot.name, name);
  slot.registered.store(1, std::memory_order_release);
}

TapeWriter StateWriter::tape(uint32_t index, uint8_t venue) noexcept {
  char* memory = reinterpret_cast<char*>(header_) + header_->tapes_offset + index * header_->tape_stride;
  return TapeWriter(memory, header_->geometry.tape_entries, header_->geometry.tape_bytes, venue);
}

void StateWriter::append_opportunity(OpportunityRow row) noexcept {
  row.sequence = opportunity_head_;
  auto* slots = reinterpret_cast<RecordSlot<OpportunityRow>*>(opportunity_log_ + 1);
  slots[opportunity_head_ & (opportunity_log_->capacity - 1)].row.store(row);
  opportunity_log_->head.store(++opportunity_head_, std::memory_order_release);
}

void StateWriter::append_order(OrderRow row) noexcept {
  row.sequence = order_head_;
  auto* slots = reinterpret_cast<RecordSlot<OrderRow>*>(order_log_ + 1);
  slots[order_head_ & (order_log_->capacity - 1)].row.store(row);
  order_log_->head.store(++order_head_, std::memory_order_release);
}

// ---- StateReader ------------------------------------------------------------------------------

struct StateReader::Impl {
  bip::shared_memory_object state;
  bip::mapped_region state_region;
  bip::shared_memory_object control;
  bip::mapped_region control_region;
  ino_t inode = 0;
};

StateReader::StateReader(std::string_view instance) : impl_(std::make_unique<Impl>()), instance_(instance) {
  if (!valid_instance_name(instance))
    throw SegmentError(SegmentError::Kind::bad_name,
                       "invalid instance name '" + std::string(instance) + "': use 1-48 of [A-Za-z0-9_-]");
  const std::string state_name = state_segment_name(instance);
  const std::string no_engine = "no engine " + std::string(instance) + " (" + state_name + " does not exist)";
  try {
    impl_->state = bip::shared_memory_object(bip::open_only, boost_name(state_name).c_str(), bip::read_only);
    impl_->state_region = bip::mapped_region(impl_->state, bip::read_only);  // PROT_READ
  } catch (const bip::interprocess_exception& e) {
    if (e.get_error_code() == bip::not_found_error)
      throw SegmentError(SegmentError::Kind::no_engine, no_engine);
    throw SegmentError(SegmentError::Kind::system, "cannot map " + state_name + ": " + e.what());
  }
  struct stat st {};
  if (::fstat(impl_->state.get_mapping_handle().handle, &st) == 0) impl_->inode = st.st_ino;

  base_ = static_cast<const char*>(impl_->state_region.get_address());
  if (impl_->state_region.get_size() < sizeof(SegmentHeader))
    throw SegmentError(SegmentError::Kind::no_engine, no_engine + ": segment still being created");
  header_ = reinterpret_cast<const SegmentHeader*>(base_);
  const uint64_t magic = header_->magic.load(std::memory_order_acquire);
  if (magic == 0)
    throw SegmentError(SegmentError::Kind::no_engine, no_engine + ": segment still being created");
  if (magic != kStateMagic)
    throw SegmentError(SegmentError::Kind::bad_magic, state_name + " is not a pmx state segment (bad magic)");
  if (header_->layout_version != kLayoutVersion)
    throw SegmentError(SegmentError::Kind::version_mismatch,
                       state_name + " has layout version " + std::to_string(header_->layout_version) +
                           "; this tool reads layout version " + std::to_string(kLayoutVersion) +
                           ": use the tools built with that engine");
  if (header_->total_bytes > impl_->state_region.get_size())
    throw SegmentError(SegmentError::Kind::bad_magic, state_name + " is smaller than its header says");

  const std::string control_name = control_segment_name(instance);
  try {
    impl_->control =
        bip::shared_memory_object(bip::open_only, boost_name(control_name).c_str(), bip::read_write);
    impl_->control_region = bip::mapped_region(impl_->control, bip::read_write);
  } catch (const bip::interprocess_exception& e) {
    if (e.get_error_code() == bip::not_found_error)
      throw SegmentError(SegmentError::Kind::no_engine,
                         "no engine " + std::string(instance) + " (" + control_name + " does not exist)");
    throw SegmentError(SegmentError::Kind::system, "cannot map " + control_name + ": " + e.what());
  }
  control_ = static_cast<ControlBlock*>(impl_->control_region.get_address());
  if (impl_->control_region.get_size() < sizeof(ControlBlock) ||
      control_->magic.load(std::memory_order_acquire) != kControlMagic ||
      control_->version != kControlVersion)
    throw SegmentError(
        SegmentError::Kind::version_mismatch,
        control_name + " is not a version " + std::to_string(kControlVersion) + " control segment");
}

StateReader::~StateReader() = default;

bool StateReader::replaced() const noexcept {
  struct stat st {};
  if (::stat(dev_shm_path(state_segment_name(instance_)).c_str(), &st) != 0) return true;
  return st.st_ino != impl_->inode;
}

int64_t StateReader::heartbeat_age_ns() const noexcept {
  return mono_now().ns - header_->heartbeat_ns.load(std::memory_order_relaxed);
}

bool StateReader::engine_alive() const noexcept {
  const auto pid = static_cast<pid_t>(header_->engine_pid);
  return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM);
}

}  // namespace pmx::shm
