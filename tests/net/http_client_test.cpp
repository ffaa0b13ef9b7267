// HttpClient against a scripted loopback server (loopback_http_server.h) and, for https://,
// against pmx-venue-sim's TLS listener with its self-signed certificate.
#include "pmx/net/http_client.h"

#include <string>

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "loopback_http_server.h"
#include "sim_process.h"

namespace {

using pmx::net::append_query_escaped;
using pmx::net::HttpClient;
using pmx::net::HttpClientOptions;
using pmx::net::HttpError;
using pmx::net::HttpMethod;
using pmx::test::http_response;
using pmx::test::LoopbackHttpServer;
using pmx::test::ok_json;
using pmx::test::Reply;
using pmx::test::ServerRequest;

TEST(HttpClient, ReusesOneKeepAliveConnectionForSequentialRequests) {
  LoopbackHttpServer server(
      [](const ServerRequest& req) { return ok_json("{\"target\":\"" + req.target + "\"}"); });
  HttpClient client;
  for (int i = 0; i < 3; ++i) {
    auto r = client.get(server.url("/markets?i=" + std::to_string(i)));
    ASSERT_TRUE(r.ok()) << r.message;
    EXPECT_EQ(r.response.status, 200);
    EXPECT_EQ(r.response.body, "{\"target\":\"/markets?i=" + std::to_string(i) + "\"}");
  }
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(client.stats().connects, 1u);
  EXPECT_EQ(client.stats().reuses, 2u);
  EXPECT_TRUE(client.connected());
}

TEST(HttpClient, ReconnectsTransparentlyWhenTheServerClosedTheConnectionBetweenRequests) {
  LoopbackHttpServer server([](const ServerRequest&) {
    return Reply{http_response(200, "ok"), true, false};
  });
  HttpClient client;
  auto first = client.get(server.url("/a"));
  ASSERT_TRUE(first.ok()) << first.message;
  auto second = client.get(server.url("/b"));
  ASSERT_TRUE(second.ok()) << second.message;
  EXPECT_EQ(second.response.body, "ok");
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(server.requests(), 2)
      << "the closed connection was detected before or after writing, never twice";
}

TEST(HttpClient, ResendsAGetOnceWhenTheKeptConnectionDiesBeforeAnyResponseByte) {
  // The second request arrives on the kept connection, which the server then closes unanswered.
  LoopbackHttpServer server([](const ServerRequest& req) {
    if (req.connection == 1 && req.target == "/second") return Reply{"", true, false};
    return ok_json("fine");
  });
  HttpClient client;
  ASSERT_TRUE(client.get(server.url("/first")).ok());
  auto r = client.get(server.url("/second"));
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.response.body, "fine");
  EXPECT_EQ(client.stats().retries, 1u);
  EXPECT_EQ(server.connections(), 2);
}

TEST(HttpClient, DoesNotResendAPostWhenTheKeptConnectionDiesBeforeAnyResponseByte) {
  LoopbackHttpServer server([](const ServerRequest& req) {
    if (req.method == "POST") return Reply{"", true, false};
    return ok_json("fine");
  });
  HttpClient client;
  ASSERT_TRUE(client.get(server.url("/warm")).ok());
  auto r = client.post(server.url("/orders"), "{\"count\":1}");
  EXPECT_EQ(r.error, HttpError::read_failed);
  EXPECT_NE(r.message.find("not resent"), std::string::npos) << r.message;
  EXPECT_EQ(server.requests(), 2) << "the POST reached the server exactly once";
  EXPECT_EQ(client.stats().retries, 0u);
}

TEST(HttpClient, TimesOutOnAServerThatNeverAnswers) {
  LoopbackHttpServer server([](const ServerRequest&) { return Reply{"", false, true}; });
  HttpClientOptions options;
  options.request_timeout = std::chrono::milliseconds(100);
  HttpClient client(options);
  auto r = client.get(server.url("/slow"));
  EXPECT_EQ(r.error, HttpError::timeout);
  EXPECT_NE(r.message.find("no complete response within 100 ms"), std::string::npos) << r.message;
  EXPECT_FALSE(client.connected());
  EXPECT_EQ(client.stats().failures, 1u);
}

TEST(HttpClient, TimesOutOnAServerThatStopsInTheMiddleOfTheBody) {
  LoopbackHttpServer server([](const ServerRequest&) {
    Reply reply{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789", false, false};
    return reply;  // 10 of 100 bytes, then silence with the connection open
  });
  HttpClientOptions options;
  options.request_timeout = std::chrono::milliseconds(100);
  HttpClient client(options);
  auto r = client.get(server.url("/partial"));
  EXPECT_EQ(r.error, HttpError::timeout) << r.message;
}

TEST(HttpClient, RejectsAResponseThatIsNotHttp) {
  LoopbackHttpServer server([](const ServerRequest&) {
    return Reply{"garbage, not http\r\n\r\n", true, false};
  });
  HttpClient client;
  auto r = client.get(server.url("/x"));
  EXPECT_EQ(r.error, HttpError::bad_response);
  EXPECT_NE(r.message.find("malformed response from 127.0.0.1"), std::string::npos) << r.message;
  EXPECT_FALSE(client.connected());
}

TEST(HttpClient, RejectsAResponseWithABadStatusLine) {
  LoopbackHttpServer server([](const ServerRequest&) {
    return Reply{"HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n", false, false};
  });
  HttpClient client;
  EXPECT_EQ(client.get(server.url("/x")).error, HttpError::bad_response);
}

TEST(HttpClient, ReportsAConnectionClosedInTheMiddleOfTheBody) {
  LoopbackHttpServer server([](const ServerRequest&) {
    return Reply{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789", true, false};
  });
  HttpClient client;
  auto r = client.get(server.url("/x"));
  EXPECT_EQ(r.error, HttpError::read_failed) << r.message;
  EXPECT_EQ(server.requests(), 1) << "a response had begun: never resent";
}

TEST(HttpClient, PassesClientAndServerErrorsBackAsStatus) {
  LoopbackHttpServer server([](const ServerRequest& req) {
    if (req.target == "/missing") return Reply{http_response(404, "{\"error\":\"not found\"}"), false, false};
    return Reply{http_response(503, "busy", "Retry-After: 2\r\n"), false, false};
  });
  HttpClient client;
  auto missing = client.get(server.url("/missing"));
  ASSERT_TRUE(missing.ok()) << missing.message;
  EXPECT_EQ(missing.response.status, 404);
  EXPECT_EQ(missing.response.body, "{\"error\":\"not found\"}");
  auto busy = client.get(server.url("/busy"));
  ASSERT_TRUE(busy.ok()) << busy.message;
  EXPECT_EQ(busy.response.status, 503);
  EXPECT_EQ(busy.response.header("retry-after"), "2");
  EXPECT_EQ(server.connections(), 1) << "an error status keeps the connection";
}

TEST(HttpClient, SendsMethodTargetBodyAndCustomHeaders) {
  LoopbackHttpServer server([](const ServerRequest&) { return ok_json("{}"); });
  HttpClient client;
  ASSERT_TRUE(
      client.post(server.url("/portfolio/orders"), "{\"a\":1}", {{"KALSHI-ACCESS-KEY", "key-1"}}).ok());
  ASSERT_TRUE(client.del(server.url("/order"), "{\"orderID\":\"7\"}", {{"Content-Type", "text/plain"}}).ok());
  ASSERT_TRUE(client.request(HttpMethod::get, server.url("/")).ok());
  const auto got = server.received();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].method, "POST");
  EXPECT_EQ(got[0].target, "/portfolio/orders");
  EXPECT_EQ(got[0].body, "{\"a\":1}");
  EXPECT_NE(got[0].head.find("KALSHI-ACCESS-KEY: key-1\r\n"), std::string::npos) << got[0].head;
  EXPECT_NE(got[0].head.find("Content-Type: application/json\r\n"), std::string::npos) << got[0].head;
  EXPECT_NE(got[0].head.find("Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"), std::string::npos);
  EXPECT_EQ(got[1].method, "DELETE");
  EXPECT_EQ(got[1].body, "{\"orderID\":\"7\"}");
  EXPECT_NE(got[1].head.find("Content-Type: text/plain\r\n"), std::string::npos) << got[1].head;
  EXPECT_EQ(got[1].head.find("application/json"), std::string::npos) << "the caller's Content-Type wins";
  EXPECT_EQ(got[2].method, "GET");
  EXPECT_EQ(got[2].body, "");
}

TEST(HttpClient, DecodesAChunkedBody) {
  LoopbackHttpServer server([](const ServerRequest&) {
    return Reply{
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", false,
        false};
  });
  HttpClient client;
  auto r = client.get(server.url("/chunked"));
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.response.body, "hello world");
}

TEST(HttpClient, RefusesABodyOverTheLimit) {
  LoopbackHttpServer server([](const ServerRequest&) { return ok_json(std::string(100, 'x')); });
  HttpClientOptions options;
  options.max_body_bytes = 10;
  HttpClient client(options);
  auto r = client.get(server.url("/big"));
  EXPECT_EQ(r.error, HttpError::body_too_large) << r.message;
}

TEST(HttpClient, ClosesTheConnectionWhenTheResponseSaysConnectionClose) {
  LoopbackHttpServer server([](const ServerRequest&) {
    return Reply{http_response(200, "bye", "Connection: close\r\n"), false, false};
  });
  HttpClient client;
  ASSERT_TRUE(client.get(server.url("/")).ok());
  EXPECT_FALSE(client.connected());
  ASSERT_TRUE(client.get(server.url("/")).ok());
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(client.stats().retries, 0u);
}

TEST(HttpClient, OpensANewConnectionForAnotherOrigin) {
  LoopbackHttpServer clob([](const ServerRequest&) { return ok_json("clob"); });
  LoopbackHttpServer gamma([](const ServerRequest&) { return ok_json("gamma"); });
  HttpClient client;
  EXPECT_EQ(client.get(clob.url("/markets")).response.body, "clob");
  EXPECT_EQ(client.get(gamma.url("/events")).response.body, "gamma");
  EXPECT_EQ(client.get(clob.url("/markets")).response.body, "clob");
  EXPECT_EQ(client.stats().connects, 3u);
}

TEST(HttpClient, RejectsUrlsItCannotUse) {
  HttpClient client;
  auto ftp = client.get("ftp://example.com/x");
  EXPECT_EQ(ftp.error, HttpError::bad_url);
  EXPECT_EQ(ftp.message, "bad HTTP URL 'ftp://example.com/x': scheme must be http:// or https://");
  auto no_host = client.get("http:///markets");
  EXPECT_EQ(no_host.error, HttpError::bad_url);
  EXPECT_EQ(no_host.message, "bad HTTP URL 'http:///markets': missing host");
  EXPECT_EQ(client.get("http://127.0.0.1:0/").error, HttpError::bad_url);
}

TEST(HttpClient, ReportsARefusedConnection) {
  // A port that was just free and has no listener.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  HttpClient client;
  auto r = client.get("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/");
  EXPECT_EQ(r.error, HttpError::connect_failed);
  EXPECT_NE(r.message.find("tcp connect to 127.0.0.1:"), std::string::npos) << r.message;
}

TEST(HttpClient, SpeaksHttpsWithTheTrustedSimCertificate) {
  pmx::test::SimProcess sim({}, /*tls=*/true);
  ASSERT_TRUE(sim.url().starts_with("wss://"));
  const std::string base = "https://" + sim.url().substr(6);
  HttpClientOptions options;
  options.ca_file = sim.cert();
  HttpClient client(options);
  // The sim's WebSocket route answers a plain GET with 426 Upgrade Required.
  auto r = client.get(base + "/ws/market");
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.response.status, 426);
}

TEST(HttpClient, HttpsFailsWhenTheCertificateIsNotTrusted) {
  pmx::test::SimProcess sim({}, /*tls=*/true);
  HttpClient client;  // system CAs only
  auto r = client.get("https://" + sim.url().substr(6) + "/ws/market");
  EXPECT_EQ(r.error, HttpError::tls_failed) << r.message;
}

TEST(HttpClient, EscapesQueryValues) {
  std::string out = "?cursor=";
  append_query_escaped(out, "MA==/a b&c~");
  EXPECT_EQ(out, "?cursor=MA%3D%3D%2Fa%20b%26c~");
}

}  // namespace
