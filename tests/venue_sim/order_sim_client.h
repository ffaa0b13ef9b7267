// Test helpers for pmx-venue-sim's order side: raw HTTP/1.1 over a loopback socket (so the bytes
// the gateway's request builders write are sent exactly as the live engine sends them), a Kalshi
// trader that signs with the gateway's KalshiSigner / KalshiRequestBuilder, and a WebSocket
// listener that records private frames. Every wait has a deadline; nothing sleeps.
#pragma once

#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pmx/core/decimal.h"
#include "pmx/gateway/kalshi_request.h"
#include "pmx/gateway/kalshi_signer.h"
#include "pmx/net/ws_client.h"

namespace pmx::test {

inline int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline uint16_t port_of(const std::string& url) {
  return static_cast<uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
}

struct HttpAnswer {
  int status = 0;  // 0: the connection closed without an answer
  std::string body;
  boost::json::value json() const { return boost::json::parse(body); }
};

// One TCP connection to 127.0.0.1:port; reads Content-Length framed responses.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
      throw std::runtime_error("connect failed");
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  void send(std::string_view bytes) {
    if (::write(fd_, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size()))
      throw std::runtime_error("write failed");
  }

  // The next response; status 0 when the server closed first. Throws after `timeout`.
  HttpAnswer response(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill(deadline)) return {};
    }
    const std::string head = buffer_.substr(0, header_end);
    const size_t cl = head.find("Content-Length: ");
    const size_t length = cl == std::string::npos ? 0 : std::stoul(head.substr(cl + 16));
    while (buffer_.size() < header_end + 4 + length) {
      if (!fill(deadline)) throw std::runtime_error("connection ended inside a response");
    }
    HttpAnswer a{std::stoi(head.substr(9, 3)), buffer_.substr(header_end + 4, length)};
    buffer_.erase(0, header_end + 4 + length);
    return a;
  }

 private:
  // False at end of stream.
  bool fill(std::chrono::steady_clock::time_point deadline) {
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) throw std::runtime_error("no response in time");
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[65536];
      const ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) return false;
      buffer_.append(buf, static_cast<size_t>(n));
      return true;
    }
  }

  int fd_;
  std::string buffer_;
};

// One request on a fresh connection.
inline HttpAnswer http_exchange(uint16_t port, std::string_view request) {
  RawConnection c(port);
  c.send(request);
  return c.response();
}

// An RSA key pair: the gateway's signer, and the public key in a file for --kalshi-public-key.
struct KalshiKey {
  gateway::KalshiSigner signer;
  std::string public_key_file;

  ~KalshiKey() {
    std::error_code ignored;
    std::filesystem::remove(public_key_file, ignored);
  }

  static KalshiKey generate(const std::string& name) {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    auto signer = gateway::KalshiSigner::from_pem(std::string(data, static_cast<size_t>(n)));
    BIO_free(bio);
    EVP_PKEY_free(key);
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("pmx-venue-sim-test-" + name + "-" + std::to_string(getpid()) + ".pub.pem"))
                                 .string();
    std::ofstream(path) << signer.public_key_pem();
    return KalshiKey{std::move(signer), path};
  }
};

inline const KalshiKey& kalshi_key() {
  static const KalshiKey key = KalshiKey::generate("good");
  return key;
}
inline const KalshiKey& other_kalshi_key() {
  static const KalshiKey key = KalshiKey::generate("other");
  return key;
}

// Sends Kalshi requests as the gateway writes them (KalshiRequestBuilder), signed by `signer`.
class KalshiTrader {
 public:
  KalshiTrader(uint16_t port, const gateway::KalshiSigner& signer)
      : port_(port), signer_(signer), builder_("test-key-id", "127.0.0.1") {}

  std::string order_bytes(const gateway::KalshiOrder& order) const {
    std::array<char, 4096> out{};
    const auto r = builder_.create_order_signed_inline(order, signer_, wall_ms(), out);
    if (!r.ok()) throw std::runtime_error("create_order: " + std::string(gateway::to_string(r.error)));
    return std::string(out.data(), r.size);
  }
  HttpAnswer place(const gateway::KalshiOrder& order) const {
    return http_exchange(port_, order_bytes(order));
  }

  HttpAnswer cancel(std::string_view order_id) const {
    std::array<char, 4096> out{};
    const auto r = builder_.cancel_order(order_id, signer_, wall_ms(), out);
    if (!r.ok()) throw std::runtime_error("cancel_order: " + std::string(gateway::to_string(r.error)));
    return http_exchange(port_, std::string_view(out.data(), r.size));
  }

  // A signed GET of `target` ("/trade-api/v2/portfolio/balance?x=y"); the query is not signed.
  std::string get_bytes(const std::string& target) const {
    const std::string path = target.substr(0, target.find('?'));
    const auto h = signer_.headers("test-key-id", wall_ms(), "GET", path);
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nKALSHI-ACCESS-KEY: " + h.key +
           "\r\nKALSHI-ACCESS-TIMESTAMP: " + h.timestamp + "\r\nKALSHI-ACCESS-SIGNATURE: " + h.signature +
           "\r\n\r\n";
  }
  HttpAnswer get(const std::string& target) const { return http_exchange(port_, get_bytes(target)); }

 private:
  uint16_t port_;
  const gateway::KalshiSigner& signer_;
  gateway::KalshiRequestBuilder builder_;
};

// Unsigned control requests of the simulator (/sim/step, /sim/book).
inline HttpAnswer sim_request(uint16_t port, const std::string& method, const std::string& target) {
  return http_exchange(port,
                       method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
}

// A WebSocket session that records every text frame.
struct FrameRecorder {
  FrameRecorder() {
    client.on_open([this] { ++opens; });
    client.on_message([this](std::string_view text, MonoNanos) { frames.emplace_back(text); });
    client.on_disconnect([this](const net::WsDisconnect& why) {
      disconnected = true;
      close_code = why.close_code;
    });
  }

  bool wait(const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      client.run_for(std::chrono::milliseconds(2));
    }
    return true;
  }

  // Frames whose "type" (Kalshi) or "event_type" (Polymarket) is `type`.
  std::vector<boost::json::object> of_type(std::string_view type) const {
    std::vector<boost::json::object> out;
    for (const auto& f : frames) {
      boost::system::error_code ec;
      auto v = boost::json::parse(f, ec);
      if (ec || !v.is_object()) continue;
      const auto& o = v.get_object();
      for (const char* key : {"type", "event_type"}) {
        if (const auto* t = o.if_contains(key); t && t->is_string() && t->get_string() == type) {
          out.push_back(o);
          break;
        }
      }
    }
    return out;
  }

  net::WsClient client;
  std::vector<std::string> frames;
  int opens = 0;
  bool disconnected = false;
  int close_code = 0;
};

// Connects to the Kalshi WebSocket with a signed handshake and subscribes the `fill` channel.
inline bool subscribe_kalshi_fills(FrameRecorder& r, const std::string& sim_url,
                                   const gateway::KalshiSigner& signer) {
  constexpr std::string_view kPath = "/trade-api/ws/v2";
  const auto h = signer.headers("test-key-id", wall_ms(), "GET", kPath);
  r.client.connect(sim_url + std::string(kPath),
                   {{std::string(gateway::kKalshiAccessKeyHeader), h.key},
                    {std::string(gateway::kKalshiAccessTimestampHeader), h.timestamp},
                    {std::string(gateway::kKalshiAccessSignatureHeader), h.signature}});
  if (!r.wait([&] { return r.opens > 0 || r.disconnected; }) || r.opens == 0) return false;
  r.client.send_text(R"({"id":1,"cmd":"subscribe","params":{"channels":["fill"]}})");
  return r.wait([&] { return !r.of_type("subscribed").empty(); });
}

// ---- Kalshi order helpers (gtest assertions inside) ----

struct Level {
  int64_t price = 0;  // $0.0001
  int64_t count = 0;  // 0.01
};

inline int64_t fixed(const boost::json::value& v, int decimals) {
  int64_t out = 0;
  const auto& s = v.as_string();
  EXPECT_EQ(pmx::parse_fixed(std::string_view(s.data(), s.size()), decimals, out), pmx::DecimalError::ok)
      << s;
  return out;
}

inline std::string str(const boost::json::value& v) {
  return std::string(v.as_string());
}

// The matching book's YES asks (or bids), best first.
inline std::vector<Level> book_side(uint16_t port, const std::string& market, bool asks) {
  const auto a = sim_request(port, "GET", "/sim/book?market=" + market);
  EXPECT_EQ(a.status, 200) << a.body;
  std::vector<Level> out;
  const boost::json::value book = a.json();
  for (const auto& l : book.at(asks ? "yes_asks" : "yes_bids").as_array())
    out.push_back({fixed(l.at(0), 4), fixed(l.at(1), 2)});
  return out;
}

// The first Kalshi market the simulator lists whose matching book has at least two levels on
// each side (markets near expiry may have none on one side).
inline std::string first_ticker(uint16_t port) {
  const auto a = http_exchange(port, "GET /trade-api/v2/markets?limit=100 HTTP/1.1\r\nHost: x\r\n\r\n");
  const boost::json::value listing = a.json();
  for (const auto& m : listing.at("markets").as_array()) {
    const std::string ticker = str(m.at("ticker"));
    if (book_side(port, ticker, true).size() >= 2 && book_side(port, ticker, false).size() >= 2)
      return ticker;
  }
  ADD_FAILURE() << "no two-sided market";
  return {};
}

inline gateway::KalshiOrder order_for(std::string_view ticker, std::string_view client_id, BookSide side,
                                      int64_t price, int64_t hundredths, TimeInForce tif) {
  gateway::KalshiOrder o;
  o.ticker = ticker;
  o.client_order_id = client_id;
  o.side = side;
  o.yes_price = Price::from_ticks(static_cast<int32_t>(price));
  o.count = Qty::from_units(hundredths * 10'000);
  o.tif = tif;
  return o;
}

inline int64_t taker_fee(int64_t price, int64_t hundredths) {
  // 0.07·C·P·(1-P) rounded up to $0.0001, in micro-dollars (REFERENCES.md §2.10).
  const int64_t numerator = 7 * hundredths * price * (10'000 - price);
  return (numerator + 99'999'999) / 100'000'000 * 100;
}

}  // namespace pmx::test
