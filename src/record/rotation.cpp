#include "pmx/record/rotation.h"

#include <ctime>

#include <fmt/format.h>

namespace pmx::record {

std::string capture_file_name(std::string_view instance, Venue venue, WallNanos start, unsigned attempt) {
  const int64_t seconds = start.ns >= 0 ? start.ns / 1'000'000'000 : 0;
  const auto t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  std::string name =
      fmt::format("{}-{}-{:04}{:02}{:02}T{:02}{:02}{:02}Z", instance, to_string(venue), utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
  if (attempt > 0) name += fmt::format("-{}", attempt);
  name += ".cap.zst";
  return name;
}

}  // namespace pmx::record
