#include "pmx/backtest/progress_bar.h"

#include <algorithm>
#include <cmath>

namespace pmx {
namespace {

std::string count_text(uint64_t n) {
  char buf[32];
  if (n >= 1'000'000) {
    std::snprintf(buf, sizeof buf, "%.1fM", static_cast<double>(n) / 1e6);
  } else if (n >= 10'000) {
    std::snprintf(buf, sizeof buf, "%.0fk", static_cast<double>(n) / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(n));
  }
  return buf;
}

}  // namespace

ProgressBar::ProgressBar(std::FILE* out, bool enabled, std::chrono::milliseconds delay)
    : out_(out), enabled_(enabled), delay_(delay), start_(Clock::now()) {}

std::string ProgressBar::render(uint64_t done, uint64_t total, std::chrono::duration<double> elapsed,
                                int width) {
  std::string text = "[";
  if (total > 0) {
    const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    const int filled = static_cast<int>(std::floor(fraction * width));
    text.append(static_cast<size_t>(filled), '#');
    text.append(static_cast<size_t>(width - filled), ' ');
    char buf[96];
    std::snprintf(buf, sizeof buf, "] %3d%%  %s/%s frames", static_cast<int>(fraction * 100.0),
                  count_text(done).c_str(), count_text(total).c_str());
    text += buf;
    if (fraction > 0.0 && fraction < 1.0) {
      const double eta = elapsed.count() * (1.0 - fraction) / fraction;
      std::snprintf(buf, sizeof buf, "  ETA %.0fs", eta);
      text += buf;
    }
  } else {
    text.append(static_cast<size_t>(width), '.');
    text += "] " + count_text(done) + " frames";
  }
  return text;
}

void ProgressBar::update(uint64_t done, uint64_t total) {
  if (!enabled_) return;
  done_ = done;
  total_ = total;
  const Clock::time_point now = Clock::now();
  if (now - start_ < delay_) return;
  if (shown_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  shown_ = true;
  std::fprintf(out_, "\r%s\033[K", render(done, total, now - start_).c_str());
  std::fflush(out_);
}

void ProgressBar::finish() {
  if (!shown_) return;
  std::fprintf(out_, "\r%s\033[K\n", render(done_, total_, Clock::now() - start_).c_str());
  std::fflush(out_);
}

}  // namespace pmx
