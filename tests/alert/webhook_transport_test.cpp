#include "pmx/alert/webhook_transport.h"

#include <stdexcept>

#include <gtest/gtest.h>

namespace pmx {
namespace {

using std::chrono::milliseconds;

TEST(WebhookUrl, SplitsSchemeHostAndPath) {
  const auto url = parse_webhook_url("https://discord.com/api/webhooks/123/abc");
  ASSERT_TRUE(url.has_value());
  EXPECT_EQ(url->scheme_host_port, "https://discord.com");
  EXPECT_EQ(url->path, "/api/webhooks/123/abc");
}

TEST(WebhookUrl, KeepsAnExplicitPort) {
  const auto url = parse_webhook_url("http://127.0.0.1:8080/api/webhooks/1/t");
  ASSERT_TRUE(url.has_value());
  EXPECT_EQ(url->scheme_host_port, "http://127.0.0.1:8080");
}

TEST(WebhookUrl, RefusesWhatIsNotHttp) {
  for (const char* text : {"", "discord.com/api", "ftp://x/y", "https:///path", "https://user@host/p",
                           "https://host/a b", "https://ho st/p"})
    EXPECT_FALSE(parse_webhook_url(text).has_value()) << text;
}

TEST(WebhookUrl, ItsErrorNeverShowsTheSecret) {
  try {
    make_httplib_transport("ftp://example.com/api/webhooks/1/very-secret-token");
    FAIL() << "accepted an ftp URL";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find("very-secret-token"), std::string::npos) << e.what();
  }
}

TEST(RetryAfter, ReadsDiscordsFractionalSecondsFromTheBody) {
  EXPECT_EQ(parse_retry_after(
                R"({"message":"You are being rate limited.","retry_after":1.237,"global":false})", ""),
            milliseconds(1237));
  EXPECT_EQ(parse_retry_after(R"({"retry_after": 2})", ""), milliseconds(2000));
}

TEST(RetryAfter, FallsBackToTheHeader) {
  EXPECT_EQ(parse_retry_after("", "3"), milliseconds(3000));
  EXPECT_EQ(parse_retry_after("not json", " 0.5"), milliseconds(500));
}

TEST(RetryAfter, IsAbsentWhenNeitherIsUsable) {
  EXPECT_FALSE(parse_retry_after(R"({"retry_after":"soon"})", "").has_value());
  EXPECT_FALSE(parse_retry_after("", "Wed, 21 Oct 2015 07:28:00 GMT").has_value());
}

TEST(RetryAfter, IsCappedSoAHostileAnswerCannotSilenceAlertsForEver) {
  EXPECT_EQ(parse_retry_after(R"({"retry_after":99999999})", ""), milliseconds(15 * 60 * 1000));
}

}  // namespace
}  // namespace pmx
