#include "pmx/engine/app/live_gate.h"

#include <cstdio>
#include <vector>

#include <sys/stat.h>

namespace pmx::app {

namespace {

std::string env_text(const EnvLookup& env, const char* name) {
  const char* value = env(name);
  return value != nullptr ? std::string(value) : std::string();
}

// The credentials an enabled venue lacks, as the environment variables that would provide them.
std::vector<std::string> missing_credentials(const Config& config, const EnvLookup& env) {
  std::vector<std::string> missing;
  const KalshiConfig& kalshi = config.venues.kalshi;
  if (kalshi.enabled) {
    if (kalshi.api_key_id.empty()) missing.emplace_back("KALSHI_API_KEY_ID");
    struct stat st {};
    if (kalshi.private_key_path.empty() || ::stat(kalshi.private_key_path.c_str(), &st) != 0 ||
        !S_ISREG(st.st_mode))
      missing.emplace_back("KALSHI_PRIVATE_KEY_PATH (a readable PEM file)");
  }
  const PolymarketConfig& polymarket = config.venues.polymarket;
  if (polymarket.enabled) {
    if (polymarket.private_key.empty()) missing.emplace_back("POLY_PRIVATE_KEY");
    if (polymarket.funder.empty()) missing.emplace_back("POLY_FUNDER");
    const PolymarketApiCredentials api = polymarket_api_credentials(env);
    if (api.api_key.empty()) missing.emplace_back("POLY_API_KEY");
    if (api.api_secret.empty()) missing.emplace_back("POLY_API_SECRET");
    if (api.passphrase.empty()) missing.emplace_back("POLY_API_PASSPHRASE");
  }
  return missing;
}

// A key file anyone but its owner can read is refused: the key may already have leaked.
std::string key_file_refusal(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  const unsigned mode = st.st_mode & 07777;
  if ((mode & 077) == 0) return {};
  char octal[8];
  std::snprintf(octal, sizeof octal, "%04o", mode);
  return "refused: Kalshi private key " + path + " has mode " + octal +
         " (readable by group or others); run chmod 600 " + path;
}

// "scheme", "host" of a URL ("" when it has no "://").
bool split_url(const std::string& url, std::string& scheme, std::string& host) {
  const size_t colon = url.find("://");
  if (colon == std::string::npos) return false;
  scheme = url.substr(0, colon);
  std::string rest = url.substr(colon + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
  if (rest.starts_with('[')) {
    host = rest.substr(1, rest.find(']') - 1);
  } else {
    host = rest.substr(0, rest.find(':'));
  }
  return true;
}

bool is_loopback_host(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1";
}

// "" when `url` is TLS, or plain on loopback; else the refusal naming `key`.
std::string url_refusal(const char* key, const std::string& url) {
  std::string scheme;
  std::string host;
  if (!split_url(url, scheme, host)) return std::string("refused: ") + key + " = " + url + " is not a URL";
  if (scheme == "https" || scheme == "wss") return {};
  if ((scheme == "http" || scheme == "ws") && is_loopback_host(host)) return {};
  return std::string("refused: ") + key + " = " + url +
         ": live trading needs https:// or wss:// (plain http:// and ws:// only on 127.0.0.1 or localhost, "
         "the simulator)";
}

}  // namespace

PolymarketApiCredentials polymarket_api_credentials(const EnvLookup& env) {
  return {env_text(env, "POLY_API_KEY"), env_text(env, "POLY_API_SECRET"),
          env_text(env, "POLY_API_PASSPHRASE"), env_text(env, "POLY_SIGNATURE_TYPE")};
}

std::string live_refusal(const Config& config, bool live_flag, const EnvLookup& env) {
  if (!live_flag) {
    if (config.engine.mode == TradingMode::live)
      return "refused: engine.mode = live (from the configuration or DRY_RUN=false) also needs --live on "
             "the command line; without both the engine trades on paper only";
    return {};
  }
  const std::vector<std::string> missing = missing_credentials(config, env);
  if (!missing.empty()) {
    std::string line = "refused: --live needs the credentials of every enabled venue; missing:";
    for (size_t i = 0; i < missing.size(); ++i)
      line += (i == 0 ? " " : ", ") + missing[i];
    return line;
  }
  if (config.venues.kalshi.enabled)
    if (std::string r = key_file_refusal(config.venues.kalshi.private_key_path); !r.empty()) return r;
  struct Url {
    bool enabled;
    const char* key;
    const std::string& url;
  };
  const KalshiConfig& k = config.venues.kalshi;
  const PolymarketConfig& p = config.venues.polymarket;
  for (const Url& u : {Url{k.enabled, "venues.kalshi.rest_url", k.rest_url},
                       Url{k.enabled, "venues.kalshi.ws_url", k.ws_url},
                       Url{p.enabled, "venues.polymarket.rest_url", p.rest_url},
                       Url{p.enabled, "venues.polymarket.ws_url", p.ws_url},
                       Url{p.enabled, "venues.polymarket.gamma_url", p.gamma_url}}) {
    if (!u.enabled) continue;
    if (std::string r = url_refusal(u.key, u.url); !r.empty()) return r;
  }
  return {};
}

}  // namespace pmx::app
