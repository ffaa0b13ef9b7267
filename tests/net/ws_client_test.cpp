// WsClient against pmx-venue-sim, both on 127.0.0.1: plain and TLS, Kalshi auth, replay order,
// Polymarket PING/PONG, forced disconnects with reconnects, injected gaps and duplicates.
#include "pmx/net/ws_client.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "pmx/core/clock.h"
#include "pmx/gateway/kalshi_signer.h"
#include "pmx/net/reconnect_policy.h"

#include "sim_process.h"

// Counts heap allocations on this thread while counting_ is set (the receive-path test below).
namespace {
std::atomic<bool> g_counting{false};
std::atomic<uint64_t> g_allocations{0};
}  // namespace

// noinline: GCC would otherwise inline malloc/free into new/delete call sites and then warn
// (-Wmismatched-new-delete) that free() releases memory from operator new.
[[gnu::noinline]] void* operator new(size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void* operator new[](size_t n) {
  return operator new(n);
}
[[gnu::noinline]] void operator delete(void* p) noexcept {
  std::free(p);
}
[[gnu::noinline]] void operator delete[](void* p) noexcept {
  std::free(p);
}
[[gnu::noinline]] void operator delete(void* p, size_t) noexcept {
  std::free(p);
}
[[gnu::noinline]] void operator delete[](void* p, size_t) noexcept {
  std::free(p);
}

namespace {

using namespace std::chrono_literals;
using pmx::MonoNanos;
using pmx::gateway::KalshiSigner;
using pmx::net::WsClient;
using pmx::net::WsClientOptions;
using pmx::net::WsDisconnect;
using pmx::net::WsDisconnectKind;
using pmx::net::WsHeader;
using pmx::test::SimProcess;

const std::string kKalshiCapture =
    std::string(PMX_SHARED_DATA_DIR) + "/venues/kalshi/ws_orderbook_2026-09-16_sid1_seq1-12.jsonl";
constexpr const char* kKalshiPath = "/trade-api/ws/v2";

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) {
    if (!l.empty()) lines.push_back(l);
  }
  return lines;
}

std::string field(const std::string& frame, const std::string& key) {
  const std::string needle = "\"" + key + "\":";
  const size_t at = frame.find(needle);
  if (at == std::string::npos) return {};
  size_t b = at + needle.size();
  if (frame[b] == '"') {
    const size_t e = frame.find('"', b + 1);
    return frame.substr(b + 1, e - b - 1);
  }
  size_t e = b;
  while (e < frame.size() && (std::isdigit(static_cast<unsigned char>(frame[e])) || frame[e] == '-'))
    ++e;
  return frame.substr(b, e - b);
}

int64_t seq_of(const std::string& frame) {
  return std::stoll(field(frame, "seq"));
}

std::string subscribe_command(const std::vector<std::string>& lines) {
  std::set<std::string> tickers;
  for (const auto& l : lines)
    tickers.insert(field(l, "market_ticker"));
  std::string list;
  for (const auto& t : tickers)
    list += (list.empty() ? "\"" : ",\"") + t + "\"";
  return R"({"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_tickers":[)" + list +
         "]}}";
}

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// An RSA key pair for the Kalshi handshake: the signer, and the public key in a file for the sim.
struct KalshiKey {
  KalshiSigner signer;
  std::string public_key_file;

  // The keys are function-local statics: the file goes when the test program exits.
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
    auto signer = KalshiSigner::from_pem(std::string(data, static_cast<size_t>(n)));
    BIO_free(bio);
    EVP_PKEY_free(key);
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("pmx-net-test-" + name + "-" + std::to_string(getpid()) + ".pub.pem"))
                                 .string();
    std::ofstream(path) << signer.public_key_pem();
    return KalshiKey{std::move(signer), path};
  }

  std::vector<WsHeader> headers() const {
    const auto h = signer.headers("test-key-id", wall_ms(), "GET", kKalshiPath);
    return {{std::string(pmx::gateway::kKalshiAccessKeyHeader), h.key},
            {std::string(pmx::gateway::kKalshiAccessTimestampHeader), h.timestamp},
            {std::string(pmx::gateway::kKalshiAccessSignatureHeader), h.signature}};
  }
};

const KalshiKey& good_key() {
  static const KalshiKey key = KalshiKey::generate("good");
  return key;
}

// A client that records what happens to it.
struct Recorder {
  explicit Recorder(WsClientOptions options = {}) : client(std::move(options)) {
    client.on_open([this] { ++opens; });
    client.on_message([this](std::string_view text, MonoNanos at) {
      messages.emplace_back(text);
      stamps.push_back(at);
    });
    client.on_disconnect([this](const WsDisconnect& why) { disconnect = why; });
  }

  // Drives the client until `done` holds or `timeout` passes; no sleeps.
  bool wait(const std::function<bool()>& done, std::chrono::milliseconds timeout = 15s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      client.run_for(2ms);
    }
    return true;
  }

  bool wait_open() {
    return wait([this] { return opens > 0 || disconnect.has_value(); }) && opens > 0;
  }

  WsClient client;
  int opens = 0;
  std::vector<std::string> messages;
  std::vector<MonoNanos> stamps;
  std::optional<WsDisconnect> disconnect;
};

bool have_capture() {
  return std::filesystem::exists(kKalshiCapture);
}

TEST(WsClient, ReportsItsBackend) {
  const auto name = pmx::net::backend_name();
  EXPECT_TRUE(name == "epoll" || name == "io_uring") << name;
}

TEST(WsClient, PolymarketPingIsAnsweredWithPong) {
  SimProcess sim({});
  Recorder r;
  r.client.connect(sim.url() + "/ws/market");
  ASSERT_TRUE(r.wait_open()) << (r.disconnect ? r.disconnect->message : "timeout");
  EXPECT_TRUE(r.client.send_text("PING"));
  ASSERT_TRUE(r.wait([&] { return !r.messages.empty(); }));
  EXPECT_EQ(r.messages[0], "PONG");
  EXPECT_EQ(sim.stop(), 0) << "SIGTERM must exit 0";
}

TEST(WsClient, PolymarketPingIsAnsweredOverTlsWithTheSimCertificateAsCa) {
  SimProcess sim({}, /*tls=*/true);
  ASSERT_TRUE(sim.url().starts_with("wss://"));
  WsClientOptions options;
  options.ca_file = sim.cert();
  Recorder r(options);
  r.client.connect(sim.url() + "/ws/market");
  ASSERT_TRUE(r.wait_open()) << (r.disconnect ? r.disconnect->message : "timeout");
  EXPECT_TRUE(r.client.send_text("PING"));
  ASSERT_TRUE(r.wait([&] { return !r.messages.empty(); }));
  EXPECT_EQ(r.messages[0], "PONG");
}

TEST(WsClient, TlsFailsWhenTheCertificateIsNotTrusted) {
  SimProcess sim({}, /*tls=*/true);
  Recorder r;  // system CAs only
  r.client.connect(sim.url() + "/ws/market");
  ASSERT_TRUE(r.wait([&] { return r.disconnect.has_value(); }));
  EXPECT_EQ(r.disconnect->kind, WsDisconnectKind::tls_failed) << r.disconnect->message;
  EXPECT_FALSE(r.disconnect->was_open);
}

TEST(WsClient, TlsFailsWhenTheHostNameDoesNotMatch) {
  SimProcess sim({}, /*tls=*/true);
  WsClientOptions options;
  options.ca_file = sim.cert();
  Recorder r(options);
  // The certificate names localhost and 127.0.0.1, not 127.0.0.2 (which also reaches loopback,
  // but the sim listens on 127.0.0.1 only, so use a name it does not carry instead).
  std::string url = sim.url();
  url.replace(url.find("127.0.0.1"), 9, "localhost");
  r.client.connect(url + "/ws/market");
  ASSERT_TRUE(r.wait_open()) << "localhost is in the certificate: "
                             << (r.disconnect ? r.disconnect->message : "");
}

TEST(WsClient, KalshiReplayArrivesInOrderWithValidAuth) {
  if (!have_capture()) GTEST_SKIP() << "missing " << kKalshiCapture;
  const auto lines = read_lines(kKalshiCapture);
  ASSERT_EQ(lines.size(), 12u);
  SimProcess sim(
      {"--capture", kKalshiCapture, "--venue", "kalshi", "--kalshi-public-key", good_key().public_key_file});
  Recorder r;
  r.client.connect(sim.url() + kKalshiPath, good_key().headers());
  ASSERT_TRUE(r.wait_open()) << (r.disconnect ? r.disconnect->message : "timeout");
  ASSERT_TRUE(r.client.send_text(subscribe_command(lines)));
  ASSERT_TRUE(r.wait([&] { return r.messages.size() >= 13; }));
  EXPECT_EQ(r.messages[0], R"({"id":1,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":1}})");
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(r.messages[i + 1], lines[i]) << "frame " << i + 1;  // sid 1, seq 1..12: byte for byte
  }
  for (size_t i = 1; i < r.stamps.size(); ++i)
    EXPECT_GE(r.stamps[i].ns, r.stamps[i - 1].ns);
  EXPECT_EQ(r.client.stats().messages, 13u);

  // get_snapshot: a fresh snapshot with the next seq of the subscription.
  ASSERT_TRUE(r.client.send_text(
      R"({"id":2,"cmd":"get_snapshot","params":{"market_tickers":["KXSWISSLEAGUEGAME-26SEP16LUGSTG-LUG"]}})"));
  ASSERT_TRUE(r.wait([&] { return r.messages.size() >= 15; }));
  EXPECT_EQ(field(r.messages[13], "type"), "ok");
  EXPECT_TRUE(r.messages[14].starts_with(R"({"type":"orderbook_snapshot","sid":1,"seq":13,)"))
      << r.messages[14];

  r.client.close();
  ASSERT_TRUE(r.wait([&] { return r.disconnect.has_value(); }));
  EXPECT_EQ(r.disconnect->kind, WsDisconnectKind::closed_by_client) << r.disconnect->message;
  EXPECT_TRUE(r.disconnect->was_open);
}

TEST(WsClient, KalshiUpgradeSignedWithTheWrongKeyIsRefusedWith401) {
  const auto wrong = KalshiKey::generate("wrong");
  SimProcess sim({"--kalshi-public-key", good_key().public_key_file});
  {
    Recorder r;
    r.client.connect(sim.url() + kKalshiPath, wrong.headers());
    ASSERT_TRUE(r.wait([&] { return r.disconnect.has_value(); }));
    EXPECT_EQ(r.disconnect->kind, WsDisconnectKind::handshake_refused) << r.disconnect->message;
    EXPECT_EQ(r.disconnect->http_status, 401);
    EXPECT_EQ(r.opens, 0);
  }
  {
    Recorder r;
    r.client.connect(sim.url() + kKalshiPath);  // no auth headers at all
    ASSERT_TRUE(r.wait([&] { return r.disconnect.has_value(); }));
    EXPECT_EQ(r.disconnect->http_status, 401);
  }
  std::filesystem::remove(wrong.public_key_file);
}

TEST(WsClient, ReconnectsAHundredTimesAfterForcedDisconnects) {
  if (!have_capture()) GTEST_SKIP() << "missing " << kKalshiCapture;
  const auto lines = read_lines(kKalshiCapture);
  SimProcess sim({"--capture", kKalshiCapture, "--venue", "kalshi", "--kalshi-public-key",
                  good_key().public_key_file, "--disconnect-after", "5"});
  pmx::net::ReconnectOptions ro;
  ro.initial = 1ms;
  ro.max = 4ms;
  pmx::net::ReconnectPolicy policy(ro, [] { return 0.5; });
  Recorder r;
  const std::string subscribe = subscribe_command(lines);
  r.client.on_open([&] {
    ++r.opens;
    policy.on_connected(pmx::mono_now());
    r.client.send_text(subscribe);
  });
  for (int cycle = 0; cycle < 100; ++cycle) {
    r.messages.clear();
    r.disconnect.reset();
    r.client.connect(sim.url() + kKalshiPath, good_key().headers());
    ASSERT_TRUE(r.wait([&] { return r.disconnect.has_value(); })) << "cycle " << cycle;
    policy.on_disconnected(pmx::mono_now());
    ASSERT_EQ(r.disconnect->kind, WsDisconnectKind::closed_by_peer)
        << "cycle " << cycle << ": " << r.disconnect->message;
    EXPECT_EQ(r.disconnect->close_code, 1001);
    ASSERT_EQ(r.messages.size(), 6u) << "cycle " << cycle;
    EXPECT_EQ(field(r.messages[0], "type"), "subscribed");
    for (size_t i = 0; i < 5; ++i)
      ASSERT_EQ(r.messages[i + 1], lines[i]) << "cycle " << cycle << " frame " << i;
    const auto delay = policy.next_delay();
    EXPECT_LE(delay, 4ms);
    r.client.run_for(delay);
  }
  EXPECT_EQ(r.opens, 100);
  EXPECT_EQ(r.client.stats().connects, 100u);
  EXPECT_EQ(r.client.stats().disconnects, 100u);
}

std::vector<int64_t> replayed_seqs(const std::vector<std::string>& extra_args) {
  std::vector<std::string> args{"--capture", kKalshiCapture, "--venue", "kalshi"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  SimProcess sim(args);
  Recorder r;
  r.client.connect(sim.url() + kKalshiPath, good_key().headers());
  EXPECT_TRUE(r.wait_open());
  r.client.send_text(subscribe_command(read_lines(kKalshiCapture)));
  // The replay's last frame is seq 12 (frame 12 itself may be the dropped one).
  EXPECT_TRUE(r.wait([&] {
    return !r.messages.empty() && r.messages.back().find("\"seq\":1") != std::string::npos &&
           seq_of(r.messages.back()) >= 11;
  }));
  r.client.run_for(50ms);  // collect a possible trailing duplicate
  std::vector<int64_t> seqs;
  for (size_t i = 1; i < r.messages.size(); ++i)
    seqs.push_back(seq_of(r.messages[i]));
  return seqs;
}

TEST(WsClient, DropEveryShowsAsSequenceGaps) {
  if (!have_capture()) GTEST_SKIP() << "missing " << kKalshiCapture;
  EXPECT_EQ(replayed_seqs({"--drop-every", "3"}), (std::vector<int64_t>{1, 2, 4, 5, 7, 8, 10, 11}));
}

TEST(WsClient, DuplicateEveryShowsAsRepeatedSequenceNumbers) {
  if (!have_capture()) GTEST_SKIP() << "missing " << kKalshiCapture;
  EXPECT_EQ(replayed_seqs({"--duplicate-every", "4"}),
            (std::vector<int64_t>{1, 2, 3, 4, 4, 5, 6, 7, 8, 8, 9, 10, 11, 12, 12}));
}

TEST(WsClient, MalformedEverySendsBrokenFrames) {
  if (!have_capture()) GTEST_SKIP() << "missing " << kKalshiCapture;
  const auto lines = read_lines(kKalshiCapture);
  SimProcess sim({"--capture", kKalshiCapture, "--venue", "kalshi", "--malformed-every", "6"});
  Recorder r;
  r.client.connect(sim.url() + kKalshiPath);
  ASSERT_TRUE(r.wait_open());
  r.client.send_text(subscribe_command(lines));
  ASSERT_TRUE(r.wait([&] { return r.messages.size() >= 13; }));
  EXPECT_EQ(r.messages[6], lines[5].substr(0, lines[5].size() / 2));
  EXPECT_EQ(r.messages[12], lines[11].substr(0, lines[11].size() / 2));
  EXPECT_EQ(r.messages[7], lines[6]);
}

TEST(WsClient, SyntheticKalshiStreamSendsSnapshotThenDeltasThenTheInjectedError) {
  SimProcess sim({"--synthetic", "--seed", "4", "--markets", "6", "--pace", "max", "--error-code", "17",
                  "--error-after", "12"});
  Recorder r;
  r.client.connect(sim.url() + kKalshiPath);
  ASSERT_TRUE(r.wait_open());
  // KXSIMQ-Q1-Y is the first plain binary's ticker in every synthetic universe.
  r.client.send_text(
      R"({"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_tickers":["KXSIMQ-Q1-Y"]}})");
  ASSERT_TRUE(r.wait([&] { return r.messages.size() >= 14; }));
  EXPECT_EQ(field(r.messages[0], "type"), "subscribed");
  EXPECT_EQ(field(r.messages[1], "type"), "orderbook_snapshot");
  for (size_t i = 1; i <= 12; ++i) {
    EXPECT_EQ(field(r.messages[i], "market_ticker"), "KXSIMQ-Q1-Y");
    EXPECT_EQ(seq_of(r.messages[i]), static_cast<int64_t>(i));
    if (i > 1) {
      EXPECT_EQ(field(r.messages[i], "type"), "orderbook_delta");
    }
  }
  EXPECT_EQ(r.messages[13], R"({"id":0,"type":"error","msg":{"code":17,"msg":"Internal error"}})");
}

TEST(WsClient, ReportsConnectFailureWhenNothingListens) {
  // A port that was just free: bind, read the port, close.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  Recorder r;
  r.client.connect("ws://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/ws/market");
  ASSERT_TRUE(r.wait([&] { return r.disconnect.has_value(); }));
  EXPECT_EQ(r.disconnect->kind, WsDisconnectKind::connect_failed) << r.disconnect->message;
}

TEST(WsClient, ReportsABadUrlThroughTheDisconnectHandler) {
  Recorder r;
  r.client.connect("http://127.0.0.1/");
  EXPECT_FALSE(r.disconnect.has_value()) << "reported from poll, never from inside connect()";
  ASSERT_TRUE(r.wait([&] { return r.disconnect.has_value(); }));
  EXPECT_EQ(r.disconnect->kind, WsDisconnectKind::bad_url);
  EXPECT_FALSE(r.client.send_text("x"));
}

TEST(WsClient, CloseBeforeTheHandshakeReportsClosedByClient) {
  SimProcess sim({});
  Recorder r;
  r.client.connect(sim.url() + "/ws/market");
  r.client.close();
  ASSERT_TRUE(r.wait([&] { return r.disconnect.has_value(); }));
  EXPECT_EQ(r.disconnect->kind, WsDisconnectKind::closed_by_client);
  EXPECT_FALSE(r.disconnect->was_open);
  EXPECT_EQ(r.opens, 0);
  r.client.run_for(20ms);  // the abandoned attempt reports nothing more
  EXPECT_EQ(r.client.stats().disconnects, 1u);
}

TEST(WsClient, ReceivePathDoesNotAllocateAfterWarmUp) {
  if (!have_capture()) GTEST_SKIP() << "missing " << kKalshiCapture;
  const auto lines = read_lines(kKalshiCapture);
  SimProcess sim({"--capture", kKalshiCapture, "--venue", "kalshi", "--delay-ms", "5"});
  WsClient client;
  size_t received = 0;
  uint64_t allocations_during_deltas = 0;
  client.on_message([&](std::string_view, MonoNanos) {
    ++received;
    // Frames 1-5 (subscribed + 4 snapshots, the largest) warm up; count from frame 6 to 13.
    if (received == 6) {
      g_allocations = 0;
      g_counting = true;
    } else if (received == 13) {
      g_counting = false;
      allocations_during_deltas = g_allocations.load();
    }
  });
  bool open = false;
  client.on_open([&] { open = true; });
  client.connect(sim.url() + kKalshiPath);
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (!open && std::chrono::steady_clock::now() < deadline)
    client.run_for(2ms);
  ASSERT_TRUE(open);
  client.send_text(subscribe_command(lines));
  // poll() in a spin, as a pinned feed thread does.
  while (received < 13 && std::chrono::steady_clock::now() < deadline)
    client.poll();
  g_counting = false;
  ASSERT_EQ(received, 13u);
  EXPECT_EQ(allocations_during_deltas, 0u) << "heap allocations while receiving 7 deltas";
}

}  // namespace
