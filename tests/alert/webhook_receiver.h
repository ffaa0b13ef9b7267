// A Discord stand-in for the alert tests: a cpp-httplib server on 127.0.0.1 (any free port) that
// records each POST and answers with scripted responses (204 once the script runs out).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

namespace pmx::test {

class WebhookReceiver {
 public:
  struct Response {
    int status = 204;
    std::string body;
    std::string retry_after_header;
  };
  struct Request {
    std::string path;
    std::string content_type;
    std::string body;
  };

  WebhookReceiver() {
    server_.Post(R"(/api/webhooks/.*)", [this](const httplib::Request& req, httplib::Response& res) {
      Response scripted;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(Request{req.path, req.get_header_value("Content-Type"), req.body});
        if (!script_.empty()) {
          scripted = script_.front();
          script_.pop_front();
        }
      }
      arrived_.notify_all();
      res.status = scripted.status;
      if (!scripted.retry_after_header.empty()) res.set_header("Retry-After", scripted.retry_after_header);
      if (!scripted.body.empty()) res.set_content(scripted.body, "application/json");
    });
    server_.set_tcp_nodelay(true);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }

  ~WebhookReceiver() {
    // httplib 0.11 has no wait_until_ready(): stop() before the listen loop starts would be lost.
    while (!server_.is_running())
      std::this_thread::yield();
    server_.stop();
    thread_.join();
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/api/webhooks/123/secret-token";
  }

  void script(Response response) {
    std::lock_guard lock(mutex_);
    script_.push_back(std::move(response));
  }

  std::vector<Request> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  // Waits for `n` requests (the 10 s limit only turns a broken sender into a failure, not a hang).
  bool wait_for_requests(size_t n) {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, std::chrono::seconds(10), [&] { return requests_.size() >= n; });
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<Response> script_;
  std::vector<Request> requests_;
};

}  // namespace pmx::test
