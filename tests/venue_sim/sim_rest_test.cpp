// pmx-venue-sim's REST endpoints over plain HTTP/1.1 on the WebSocket listener, and --config
// listening exactly where the engine's TOML points.
#include <filesystem>
#include <fstream>

#include <arpa/inet.h>
#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sim_process.h"

namespace {

namespace json = boost::json;
using pmx::test::SimProcess;

uint16_t port_of(const std::string& url) {
  return static_cast<uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
}

class Socket {
 public:
  explicit Socket(uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
      throw std::runtime_error("connect failed");
    timeval tv{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~Socket() { ::close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  void send(const std::string& text) {
    if (::write(fd_, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
      throw std::runtime_error("write");
  }

  // One response: status code and body (Content-Length framed, as Beast writes it).
  std::pair<int, std::string> response() {
    size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos)
      fill();
    const std::string head = buffer_.substr(0, header_end);
    const size_t cl = head.find("Content-Length: ");
    if (cl == std::string::npos) throw std::runtime_error("no Content-Length in " + head);
    const size_t length = std::stoul(head.substr(cl + 16));
    while (buffer_.size() < header_end + 4 + length)
      fill();
    std::string body = buffer_.substr(header_end + 4, length);
    buffer_.erase(0, header_end + 4 + length);
    return {std::stoi(head.substr(9, 3)), body};
  }

  bool closed_by_peer() {
    char c;
    return ::read(fd_, &c, 1) == 0;
  }

 private:
  void fill() {
    char buf[65536];
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n <= 0) throw std::runtime_error("connection ended before the response did");
    buffer_.append(buf, static_cast<size_t>(n));
  }
  int fd_;
  std::string buffer_;
};

std::string get_request(const std::string& target, bool keep_alive) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n" +
         (keep_alive ? "" : "Connection: close\r\n") + "\r\n";
}

std::pair<int, std::string> get(uint16_t port, const std::string& target) {
  Socket s(port);
  s.send(get_request(target, false));
  auto r = s.response();
  EXPECT_TRUE(s.closed_by_peer()) << "Connection: close is honoured";
  return r;
}

TEST(SimRest, KalshiMarketsAnswerPlainHttpOnTheWebSocketPort) {
  SimProcess sim({"--synthetic", "--seed", "3", "--markets", "12"});
  const auto [status, body] = get(port_of(sim.url()), "/trade-api/v2/markets?limit=5");
  ASSERT_EQ(status, 200) << body;
  const auto v = json::parse(body);
  EXPECT_EQ(v.at("markets").as_array().size(), 5u);
  EXPECT_FALSE(v.at("cursor").as_string().empty());
  EXPECT_EQ(sim.stop(), 0);
}

TEST(SimRest, KeepAliveServesAPaginatedWalkOnOneConnection) {
  SimProcess sim({"--synthetic", "--seed", "3", "--markets", "12"});
  Socket s(port_of(sim.url()));
  std::string cursor;
  size_t markets = 0;
  int requests = 0;
  do {
    s.send(get_request("/trade-api/v2/markets?limit=4&cursor=" + cursor, true));
    const auto [status, body] = s.response();
    ASSERT_EQ(status, 200) << body;
    const auto v = json::parse(body);
    markets += v.at("markets").as_array().size();
    cursor = std::string(v.at("cursor").as_string());
    ++requests;
  } while (!cursor.empty() && requests < 10);
  EXPECT_EQ(markets, 12u);
  EXPECT_EQ(requests, 3);
}

TEST(SimRest, PolymarketClobAndGammaShareTheRoot) {
  SimProcess sim({"--synthetic", "--seed", "3", "--markets", "12"});
  const uint16_t port = port_of(sim.url());
  const auto [clob_status, clob] = get(port, "/markets");
  ASSERT_EQ(clob_status, 200) << clob;
  EXPECT_EQ(json::parse(clob).at("next_cursor").as_string(), "LTE=");
  const auto [gamma_status, gamma] = get(port, "/events?limit=50");
  ASSERT_EQ(gamma_status, 200) << gamma;
  EXPECT_TRUE(json::parse(gamma).is_array());
  EXPECT_EQ(get(port, "/nothing/here").first, 404);
  EXPECT_EQ(get(port, "/trade-api/v2/markets?limit=5000").first, 400);
}

TEST(SimRest, CaptureModeListsTheCapturedInstruments) {
  SimProcess sim({"--capture",
                  PMX_SHARED_DATA_DIR "/venues/kalshi/ws_orderbook_2026-09-16_sid1_seq1-12.jsonl", "--venue",
                  "kalshi"});
  const auto [status, body] = get(port_of(sim.url()), "/trade-api/v2/markets");
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(json::parse(body).at("markets").as_array().size(), 4u);
}

// A port nobody listens on right now (bound then released).
uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

TEST(SimRest, ConfigListensWhereTheEngineConnectsAndPrintsTheUrls) {
  const uint16_t kalshi = free_port();
  const uint16_t poly = free_port();
  ASSERT_NE(kalshi, poly);
  const auto dir = std::filesystem::temp_directory_path() / ("pmx-sim-rest-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto config = dir / "engine.toml";
  const auto pairs = dir / "pairs.toml";
  const std::string k = "127.0.0.1:" + std::to_string(kalshi);
  const std::string p = "127.0.0.1:" + std::to_string(poly);
  std::ofstream(config) << "[venues.kalshi]\nws_url = \"ws://" << k
                        << "/trade-api/ws/v2\"\nrest_url = \"http://" << k
                        << "/trade-api/v2\"\n[venues.polymarket]\nws_url = \"ws://" << p
                        << "/ws/market\"\nrest_url = \"http://" << p << "\"\ngamma_url = \"http://" << p
                        << "/\"\n";
  SimProcess sim({"--config", config.string(), "--synthetic", "--write-pairs", pairs.string()});
  EXPECT_EQ(sim.url(), "ws://" + k);
  EXPECT_EQ(sim.next_line(), "listening on ws://" + p);
  std::vector<std::string> served;
  for (int i = 0; i < 6; ++i)
    served.push_back(sim.next_line());
  EXPECT_EQ(served, (std::vector<std::string>{"serving kalshi ws ws://" + k + "/trade-api/ws/v2",
                                              "serving kalshi rest http://" + k + "/trade-api/v2",
                                              "serving polymarket ws ws://" + p + "/ws/market",
                                              "serving polymarket user ws://" + p + "/ws/user",
                                              "serving polymarket clob http://" + p,
                                              "serving polymarket gamma http://" + p}));
  const auto [status, body] = get(kalshi, "/trade-api/v2/events?with_nested_markets=true");
  ASSERT_EQ(status, 200) << body;
  EXPECT_FALSE(json::parse(body).at("events").as_array().empty());
  EXPECT_EQ(get(poly, "/events").first, 200);
  EXPECT_EQ(get(kalshi, "/events").first, 404) << "Gamma lives on the Polymarket port only";
  EXPECT_TRUE(std::filesystem::file_size(pairs) > 100) << "--write-pairs wrote the file before listening";
  EXPECT_EQ(sim.stop(), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
