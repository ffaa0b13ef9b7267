// /metrics: the engine's counters, latency percentiles, rings, threads, account and risk rows,
// and the dashboard's own counters, in the Prometheus text exposition format (version 0.0.4).
//
// Every family has # HELP and # TYPE lines; label values (counter, ring and thread names come
// from shared memory) are escaped as the format requires (\\, \", \n). Latencies are a summary
// per stage (quantiles 0.5, 0.99, 0.999 and _count, in seconds, exact from the nanosecond
// integers); the segment keeps no sum, so the summary has no _sum line.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "pmx/shm/snapshot.h"

namespace pmx::dash {

// The dashboard's own activity, updated by handler threads (relaxed: independent counts).
struct DashCounters {
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> unauthorized{0};
  std::atomic<uint64_t> commands{0};
  std::atomic<uint64_t> bad_requests{0};
};

struct DashGauges {
  uint64_t requests = 0, unauthorized = 0, commands = 0, bad_requests = 0;
  uint64_t sse_clients = 0, sse_published = 0, sse_dropped = 0, sse_refused = 0;
  uint64_t engine_attaches = 0;
};

// Appends `value` escaped for a label value.
void append_label_value(std::string& out, std::string_view value);

// `snapshot` may be null (no engine): then only pmx_engine_up 0 and the dashboard's families.
std::string metrics_text(const shm::Snapshot* snapshot, std::string_view instance, const DashGauges& dash);

}  // namespace pmx::dash
