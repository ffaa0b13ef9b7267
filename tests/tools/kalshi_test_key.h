// Helpers for the pmx-ctl sign and order tests: a fresh RSA key made by the `openssl` command in
// a private directory, and verification of a Kalshi signature by `openssl dgst` (not by pmx code).
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "tool_process.h"

namespace pmx::tools_test {

class KalshiTestKey {
 public:
  KalshiTestKey()
      : dir_(std::filesystem::temp_directory_path() / ("pmx-ctl-key-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(dir_);
    ok_ =
        run({"/usr/bin/openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
             key_path()})
                .exit_code == 0 &&
        ::chmod(key_path().c_str(), 0600) == 0 &&
        run({"/usr/bin/openssl", "pkey", "-in", key_path(), "-pubout", "-out", public_path()}).exit_code == 0;
  }
  ~KalshiTestKey() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  KalshiTestKey(const KalshiTestKey&) = delete;
  KalshiTestKey& operator=(const KalshiTestKey&) = delete;

  bool ok() const { return ok_; }
  std::string key_path() const { return (dir_ / "key.pem").string(); }
  std::string public_path() const { return (dir_ / "public.pem").string(); }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }

  // True when `signature_b64` is RSA-PSS (SHA-256, MGF1-SHA-256, salt `salt`) of `message`.
  bool openssl_verifies(const std::string& message, const std::string& signature_b64, int salt = 32) const {
    std::ofstream(file("message.txt"), std::ios::binary) << message;
    std::ofstream(file("signature.b64"), std::ios::binary) << signature_b64;
    if (run({"/usr/bin/openssl", "base64", "-d", "-A", "-in", file("signature.b64"), "-out",
             file("signature.bin")})
            .exit_code != 0)
      return false;
    const Output out =
        run({"/usr/bin/openssl", "dgst", "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt",
             "rsa_pss_saltlen:" + std::to_string(salt), "-sigopt", "rsa_mgf1_md:sha256", "-verify",
             public_path(), "-signature", file("signature.bin"), file("message.txt")});
    return out.exit_code == 0 && out.out.find("Verified OK") != std::string::npos;
  }

 private:
  std::filesystem::path dir_;
  bool ok_ = false;
};

// Sets environment variables for one test and restores their absence afterwards.
class ScopedEnv {
 public:
  ScopedEnv(std::initializer_list<std::pair<std::string, std::string>> vars) {
    for (const auto& [name, value] : vars) {
      ::setenv(name.c_str(), value.c_str(), 1);
      names_.push_back(name);
    }
  }
  ~ScopedEnv() {
    for (const std::string& name : names_)
      ::unsetenv(name.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::vector<std::string> names_;
};

// The value of header `name` in pmx-ctl's output ("Name: value" lines), or "".
inline std::string header_value(const std::string& text, const std::string& name) {
  const std::string prefix = name + ": ";
  size_t at = text.rfind("\n" + prefix);
  at = at == std::string::npos ? (text.rfind(prefix, 0) == 0 ? 0 : std::string::npos) : at + 1;
  if (at == std::string::npos) return "";
  const size_t begin = at + prefix.size();
  const size_t end = text.find_first_of("\r\n", begin);
  return text.substr(begin, end - begin);
}

}  // namespace pmx::tools_test
