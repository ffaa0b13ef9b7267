// The control routes' bearer token.
//
// Taken from PMX_DASH_TOKEN, or generated at start (32 random bytes, 64 hex digits) and written
// with mode 0600 to <database>.dash-token so the operator can find it again; the generated one is
// printed once as a ready-to-open URL with the token in the fragment (#token=...), which browsers
// never send to a server. Pages, API answers and /metrics never contain it.
//
// Requests carry it as "Authorization: Bearer <token>"; the comparison takes the same time
// wherever the first difference is, so response timing does not reveal a prefix.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace pmx::dash {

class TokenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// True when `a` and `b` are equal; the time taken depends only on their lengths.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

// 64 lowercase hex digits from getrandom(2). Throws TokenError if the kernel has no entropy.
std::string generate_token();

// Writes `token` to `path` with mode 0600 (created, or truncated and re-moded; a symbolic link
// is refused). Throws TokenError naming the path.
void store_token(const std::filesystem::path& path, std::string_view token);

class AccessToken {
 public:
  explicit AccessToken(std::string token) : token_(std::move(token)) {}

  // PMX_DASH_TOKEN when `from_environment` is non-empty (generated_ false), otherwise a fresh
  // token stored at `token_file`. Throws TokenError.
  static AccessToken from_environment_or_generate(const char* from_environment,
                                                  const std::filesystem::path& token_file);

  // True for exactly "Bearer <token>" (the scheme in any case, one space).
  bool authorizes(std::string_view authorization_header) const noexcept;

  bool generated() const noexcept { return generated_; }
  const std::string& value() const noexcept { return token_; }

 private:
  std::string token_;
  bool generated_ = false;
};

// <database path>.dash-token
std::filesystem::path token_file_for(const std::filesystem::path& database);

}  // namespace pmx::dash
