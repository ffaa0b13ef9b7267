#include "access_token.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pmx::dash {

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
  // Compare every byte of the longer input so the loop length does not depend on where the
  // inputs differ; a length difference is folded into the result.
  const size_t n = a.size() > b.size() ? a.size() : b.size();
  unsigned diff = a.size() == b.size() ? 0u : 1u;
  for (size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned>(x ^ y);
  }
  return diff == 0;
}

std::string generate_token() {
  unsigned char bytes[32];
  size_t got = 0;
  while (got < sizeof bytes) {
    const ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw TokenError(std::string("cannot generate a dashboard token: getrandom: ") + std::strerror(errno));
    }
    got += static_cast<size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  token.reserve(2 * sizeof bytes);
  for (const unsigned char b : bytes) {
    token += kHex[b >> 4];
    token += kHex[b & 15];
  }
  return token;
}

void store_token(const std::filesystem::path& path, std::string_view token) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    throw TokenError("cannot write the dashboard token to " + path.string() + ": " + std::strerror(errno));
  // An existing file keeps its old mode through O_CREAT: set 0600 explicitly.
  bool ok = ::fchmod(fd, 0600) == 0;
  const std::string line = std::string(token) + "\n";
  size_t written = 0;
  while (ok && written < line.size()) {
    const ssize_t n = ::write(fd, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<size_t>(n);
  }
  const int saved = errno;
  ::close(fd);
  if (!ok)
    throw TokenError("cannot write the dashboard token to " + path.string() + ": " + std::strerror(saved));
}

AccessToken AccessToken::from_environment_or_generate(const char* from_environment,
                                                      const std::filesystem::path& token_file) {
  if (from_environment != nullptr && from_environment[0] != '\0') return AccessToken(from_environment);
  AccessToken token(generate_token());
  store_token(token_file, token.value());
  token.generated_ = true;
  return token;
}

bool AccessToken::authorizes(std::string_view header) const noexcept {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return false;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    const char c = header[i];
    const char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower != kScheme[i]) return false;
  }
  return !token_.empty() && constant_time_equal(header.substr(kScheme.size()), token_);
}

std::filesystem::path token_file_for(const std::filesystem::path& database) {
  std::filesystem::path file = database;
  file += ".dash-token";
  return file;
}

}  // namespace pmx::dash
