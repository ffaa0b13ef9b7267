#include "sign_command.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "pmx/gateway/kalshi_signer.h"

namespace pmx::ctl {

namespace {

struct SignOptions {
  std::string venue;
  std::string method;
  std::string path;
  int64_t timestamp_ms = -1;  // -1: now
};

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int run_sign(const SignOptions& options) {
  const char* key_id = std::getenv("KALSHI_API_KEY_ID");
  const char* key_path = std::getenv("KALSHI_PRIVATE_KEY_PATH");
  if (!key_id || !*key_id || !key_path || !*key_path) {
    std::fprintf(stderr,
                 "pmx-ctl: sign needs KALSHI_API_KEY_ID and KALSHI_PRIVATE_KEY_PATH in the environment\n");
    return kExitRefused;
  }
  try {
    const auto signer = gateway::KalshiSigner::from_pem_file(key_path);
    const int64_t timestamp = options.timestamp_ms >= 0 ? options.timestamp_ms : now_ms();
    const auto headers = signer.headers(key_id, timestamp, options.method, options.path);
    std::printf("%s: %s\n%s: %s\n%s: %s\n", std::string(gateway::kKalshiAccessKeyHeader).c_str(),
                headers.key.c_str(), std::string(gateway::kKalshiAccessTimestampHeader).c_str(),
                headers.timestamp.c_str(), std::string(gateway::kKalshiAccessSignatureHeader).c_str(),
                headers.signature.c_str());
    return kExitOk;
  } catch (const gateway::SigningError& e) {
    std::fprintf(stderr, "pmx-ctl: %s\n", e.what());
    return kExitRefused;
  }
}

}  // namespace

OfflineSubcommand add_sign(CLI::App& app) {
  auto* sub =
      app.add_subcommand("sign", "Print the KALSHI-ACCESS-* headers of one request (no engine needed)");
  auto options = std::make_shared<SignOptions>();
  sub->add_option("--venue", options->venue, "Venue whose request to sign")
      ->required()
      ->check(CLI::IsMember({"kalshi"}));
  sub->add_option("--method", options->method, "HTTP method: GET, POST, DELETE...")->required();
  sub->add_option("--path", options->path, "Full path from the host, e.g. /trade-api/v2/portfolio/balance")
      ->required();
  sub->add_option("--timestamp", options->timestamp_ms, "Unix time in milliseconds (default: now)")
      ->check(CLI::NonNegativeNumber);
  return {sub, [options] { return run_sign(*options); }};
}

}  // namespace pmx::ctl
