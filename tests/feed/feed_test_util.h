// Shared helpers for the feed tests: reading the real recordings, printing enums.
#pragma once

#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "pmx/feed/feed_error.h"
#include "pmx/feed/market_event.h"

namespace pmx {

inline void PrintTo(FeedError e, std::ostream* os) {
  *os << to_string(e);
}
inline void PrintTo(EventType t, std::ostream* os) {
  *os << to_string(t);
}

namespace test {

inline std::filesystem::path venues_dir() {
  return std::filesystem::path(PMX_SHARED_DATA_DIR) / "venues";
}

// Every *.jsonl file of a venue folder, sorted; empty if the folder is missing.
inline std::vector<std::filesystem::path> jsonl_files(const std::string& venue) {
  std::vector<std::filesystem::path> out;
  const auto dir = venues_dir() / venue;
  if (!std::filesystem::is_directory(dir)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".jsonl") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline std::vector<std::string> read_lines(const std::filesystem::path& p) {
  std::vector<std::string> lines;
  std::ifstream in(p);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// One malformed frame of a parameterized refusal test and the error its parser must give.
struct MalformedFrame {
  const char* name;
  std::string frame;
  FeedError expected;
};

}  // namespace test
}  // namespace pmx
