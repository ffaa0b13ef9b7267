// shm-top: htop for a running pmx engine, read from its shared-memory state segment.
//
//   shm-top [--instance NAME] [-d SECONDS]     interactive; q quit, k kill switch, s sort, / filter
//   shm-top --once                             one plain-text snapshot
//   shm-top --json                             one JSON snapshot (the keys of snapshot_json.cpp)
//
// Interactive mode waits for a missing engine and reattaches after an engine restart. With
// --once/--json a missing engine is exit 2 "no engine <instance>"; a segment of another layout
// version is always the SegmentError message and exit 2.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <curses.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include "pmx/core/clock.h"
#include "pmx/shm/segment.h"
#include "pmx/shm/snapshot.h"

#include "render.h"

namespace {

namespace shm = pmx::shm;
using pmx::top::View;

constexpr int kFailed = 2;
constexpr int64_t kCommandTimeoutNs = 5'000'000'000;

volatile sig_atomic_t g_stop = 0;
void on_signal(int) {
  g_stop = 1;
}

int print_once(const std::string& instance, bool json) {
  try {
    shm::StateReader reader(instance);
    const shm::Snapshot snapshot = shm::take_snapshot(reader);
    std::fputs(json ? (shm::to_json(snapshot) + "\n").c_str() : shm::to_text(snapshot).c_str(), stdout);
    return 0;
  } catch (const shm::SegmentError& e) {
    std::fprintf(stderr, "shm-top: %s\n", e.what());
    return kFailed;
  }
}

// Submits the kill switch and waits (at most 5 s) for the engine's reply.
void kill_switch(shm::StateReader& reader, View& view) {
  shm::CommandRequest request;
  request.type = shm::CommandType::kill;
  request.tool_pid = ::getpid();
  const int64_t deadline = pmx::mono_now().ns + kCommandTimeoutNs;
  const uint64_t number = shm::submit_command(reader.control(), request, deadline);
  shm::CommandReply reply;
  if (number == 0 || !shm::await_reply(reader.control(), number, reply, deadline)) {
    view.message = "kill: no acknowledgement from engine " + reader.instance() + " within 5s";
    view.message_is_error = true;
    return;
  }
  view.message = fmt::format("kill {}: {}", shm::to_string(reply.result), reply.message);
  view.message_is_error = reply.result != shm::CommandResult::ok;
}

class Top {
 public:
  Top(std::string instance, double refresh_s) : instance_(std::move(instance)) {
    view_.refresh_s = refresh_s;
  }

  // The interactive loop; returns the exit code.
  int run() {
    int64_t next_refresh = 0;
    bool dirty = true;
    while (g_stop == 0) {
      const int64_t now = pmx::mono_now().ns;
      if (reader_ && reader_->replaced()) {
        reader_.reset();
        previous_.reset();
        current_.reset();
        view_.message = "engine " + instance_ + " restarted or stopped; reattaching";
        view_.message_is_error = false;
      }
      if (!reader_ && now >= next_refresh) {
        try {
          reader_ = std::make_unique<shm::StateReader>(instance_);
          next_refresh = 0;
        } catch (const shm::SegmentError& e) {
          if (e.kind() != shm::SegmentError::Kind::no_engine) {
            error_ = e.what();
            return kFailed;
          }
          pmx::top::render_waiting(instance_, e.what(), view_);
          next_refresh = now + 250'000'000;
        }
      }
      if (reader_ && now >= next_refresh) {
        previous_ = std::move(current_);
        current_ = shm::take_snapshot(*reader_);
        if (previous_) rates_ = shm::rates(*previous_, *current_);
        // The first rates come quickly; then every -d seconds.
        next_refresh = now + (previous_ ? static_cast<int64_t>(view_.refresh_s * 1e9) : 250'000'000);
        dirty = true;
      }
      if (dirty && current_) pmx::top::render(*current_, previous_ ? &rates_ : nullptr, view_);
      dirty = false;

      const int key = getch();  // waits at most 100 ms (timeout() in main)
      if (key == ERR) continue;
      dirty = true;
      if (!handle_key(key)) return 0;
      if (!current_ && reader_ == nullptr) pmx::top::render_waiting(instance_, "", view_);
    }
    return 0;
  }

  const std::string& error() const { return error_; }

 private:
  // False when the user quits.
  bool handle_key(int key) {
    switch (view_.prompt) {
      case View::Prompt::confirm_kill:
        view_.prompt = View::Prompt::none;
        if ((key == 'y' || key == 'Y') && reader_) {
          view_.message = "kill: waiting for the engine...";
          pmx::top::render(*current_, previous_ ? &rates_ : nullptr, view_);
          kill_switch(*reader_, view_);
          current_ = shm::take_snapshot(*reader_);  // show the halt now; rates keep their pair
        } else {
          view_.message = "kill switch cancelled";
          view_.message_is_error = false;
        }
        return true;
      case View::Prompt::filter:
        if (key == '\n' || key == '\r' || key == KEY_ENTER) {
          view_.filter = view_.input;
          view_.prompt = View::Prompt::none;
        } else if (key == 27) {
          view_.prompt = View::Prompt::none;
        } else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
          if (!view_.input.empty()) view_.input.pop_back();
        } else if (key >= 0x20 && key < 0x7F && view_.input.size() < 48) {
          view_.input += static_cast<char>(key);
        }
        return true;
      case View::Prompt::none:
        break;
    }
    switch (key) {
      case 'q':
      case 'Q':
        return false;
      case 'k':
      case 'K':
        if (reader_ && current_) view_.prompt = View::Prompt::confirm_kill;
        break;
      case 's':
      case 'S':
        view_.sort = pmx::top::next(view_.sort);
        break;
      case '/':
        view_.prompt = View::Prompt::filter;
        view_.input = view_.filter;
        break;
      default:
        break;
    }
    return true;
  }

  std::string instance_;
  View view_;
  std::unique_ptr<shm::StateReader> reader_;
  std::optional<shm::Snapshot> previous_, current_;
  shm::Rates rates_;
  std::string error_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "shm-top: live view of a pmx engine (threads, rings, latency, counters, books, P&L, risk) from its "
      "shared-memory state. Keys: q quit, k kill switch, s sort markets, / filter markets."};
  std::string instance = "pmx";
  double refresh_s = 1;
  bool once = false;
  bool json = false;
  app.add_option("--instance", instance, "Engine instance (shared memory /pmx.<NAME>)")
      ->capture_default_str();
  app.add_option("-d,--delay", refresh_s, "Seconds between refreshes")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  app.add_flag("--once", once, "Print one plain-text snapshot and exit");
  app.add_flag("--json", json, "Print one JSON snapshot and exit (also with --once)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : kFailed;
  }
  if (once || json) return print_once(instance, json);
  if (!shm::valid_instance_name(instance)) {
    std::fprintf(stderr, "shm-top: invalid instance name '%s': use 1-48 of [A-Za-z0-9_-]\n",
                 instance.c_str());
    return kFailed;
  }

  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  SCREEN* screen = newterm(nullptr, stdout, stdin);
  if (screen == nullptr) {
    std::fprintf(stderr, "shm-top: cannot drive this terminal (TERM=%s); use --once or --json\n",
                 std::getenv("TERM") ? std::getenv("TERM") : "");
    return kFailed;
  }
  set_term(screen);
  cbreak();
  noecho();
  keypad(stdscr, TRUE);
  curs_set(0);
  timeout(100);
  set_escdelay(25);
  pmx::top::init_colors();

  Top top(instance, refresh_s);
  const int rc = top.run();
  endwin();
  delscreen(screen);
  if (!top.error().empty()) std::fprintf(stderr, "shm-top: %s\n", top.error().c_str());
  return rc;
}
