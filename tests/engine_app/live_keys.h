// Test credentials for live mode: a fresh RSA key pair for Kalshi (private key written 0600, the
// public key for pmx-venue-sim --kalshi-public-key), a fixed Polymarket test key with its address,
// and the environment the engine reads them from, set for the scope of a test.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <sys/stat.h>

#include "pmx/gateway/ethereum_signer.h"
#include "pmx/gateway/ethereum_types.h"

namespace pmx::app::test {

// A well-known test key (the go-ethereum docs' example): never funded, safe in a repository.
inline constexpr const char* kPolymarketTestKey =
    "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
inline constexpr const char* kPolymarketTestApiKey = "pmx-test-api-key";
inline constexpr const char* kPolymarketTestSecret =
    "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";  // base64url
inline constexpr const char* kPolymarketTestPassphrase = "pmx-test-passphrase";

inline std::string polymarket_test_address() {
  return gateway::to_checksum_address(gateway::EthereumSigner::from_hex(kPolymarketTestKey).address());
}

struct KalshiTestKeys {
  std::filesystem::path private_key;  // mode 0600
  std::filesystem::path public_key;
};

// Generates an RSA-2048 key pair into `dir`.
inline KalshiTestKeys write_kalshi_test_keys(const std::filesystem::path& dir) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), &EVP_PKEY_free);
  if (!key) throw std::runtime_error("cannot generate an RSA key");
  KalshiTestKeys keys{dir / "kalshi.pem", dir / "kalshi.pub"};
  const auto write = [&](const std::filesystem::path& path, bool is_private) {
    std::unique_ptr<FILE, decltype(&std::fclose)> f(std::fopen(path.c_str(), "w"), &std::fclose);
    if (!f) throw std::runtime_error("cannot write " + path.string());
    const int ok = is_private
                       ? PEM_write_PrivateKey(f.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
                       : PEM_write_PUBKEY(f.get(), key.get());
    if (ok != 1) throw std::runtime_error("cannot write " + path.string());
  };
  write(keys.private_key, true);
  write(keys.public_key, false);
  ::chmod(keys.private_key.c_str(), 0600);
  return keys;
}

// Sets environment variables for its lifetime, restoring what was there.
class ScopedEnv {
 public:
  ScopedEnv() = default;
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() {
    for (const auto& [name, old] : saved_) {
      if (old)
        ::setenv(name.c_str(), old->c_str(), 1);
      else
        ::unsetenv(name.c_str());
    }
  }
  void set(const std::string& name, const std::string& value) {
    if (!saved_.contains(name)) {
      const char* old = std::getenv(name.c_str());
      saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
    }
    ::setenv(name.c_str(), value.c_str(), 1);
  }

 private:
  std::map<std::string, std::optional<std::string>> saved_;
};

// Every credential both venues need, from `keys` and the Polymarket test key.
inline void set_live_credentials(ScopedEnv& env, const KalshiTestKeys& keys) {
  env.set("KALSHI_API_KEY_ID", "pmx-test-key-id");
  env.set("KALSHI_PRIVATE_KEY_PATH", keys.private_key.string());
  env.set("POLY_PRIVATE_KEY", kPolymarketTestKey);
  env.set("POLY_FUNDER", polymarket_test_address());
  env.set("POLY_API_KEY", kPolymarketTestApiKey);
  env.set("POLY_API_SECRET", kPolymarketTestSecret);
  env.set("POLY_API_PASSPHRASE", kPolymarketTestPassphrase);
}

}  // namespace pmx::app::test
