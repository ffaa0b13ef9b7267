#include "access_token.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pmx::dash {
namespace {

std::filesystem::path scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("pmx-dash-token-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

mode_t mode_of(const std::filesystem::path& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 0777;
}

TEST(AccessToken, AuthorizesExactlyTheBearerToken) {
  const AccessToken token("s3cret");
  EXPECT_TRUE(token.authorizes("Bearer s3cret"));
  EXPECT_TRUE(token.authorizes("bearer s3cret"));
}

TEST(AccessToken, RefusesAWrongPrefixedOrMissingToken) {
  const AccessToken token("s3cret");
  EXPECT_FALSE(token.authorizes(""));
  EXPECT_FALSE(token.authorizes("Bearer "));
  EXPECT_FALSE(token.authorizes("Bearer s3cre"));
  EXPECT_FALSE(token.authorizes("Bearer s3cretX"));
  EXPECT_FALSE(token.authorizes("Basic s3cret"));
  EXPECT_FALSE(token.authorizes("s3cret"));
}

TEST(AccessToken, EmptyTokenAuthorizesNothing) {
  EXPECT_FALSE(AccessToken("").authorizes("Bearer "));
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_FALSE(constant_time_equal("abc", std::string_view("abc\0", 4)));
  EXPECT_TRUE(constant_time_equal("", ""));
}

TEST(GenerateToken, GivesSixtyFourHexDigitsDifferentEachTime) {
  const std::string a = generate_token();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, generate_token());
}

TEST(AccessToken, GeneratedTokenIsStoredWithMode0600) {
  const auto path = scratch("generated.db.dash-token");
  std::filesystem::remove(path);
  const AccessToken token = AccessToken::from_environment_or_generate(nullptr, path);
  EXPECT_TRUE(token.generated());
  EXPECT_EQ(mode_of(path), 0600u);
  std::ifstream in(path);
  std::string stored;
  in >> stored;
  EXPECT_EQ(stored, token.value());
}

TEST(AccessToken, ExistingLooseFileIsTightenedTo0600) {
  const auto path = scratch("loose.dash-token");
  { std::ofstream(path) << "old\n"; }
  ::chmod(path.c_str(), 0644);
  store_token(path, "new");
  EXPECT_EQ(mode_of(path), 0600u);
}

TEST(AccessToken, RefusesToWriteThroughASymbolicLink) {
  const auto target = scratch("target");
  const auto link = scratch("link.dash-token");
  std::filesystem::remove(link);
  { std::ofstream(target) << "keep\n"; }
  std::filesystem::create_symlink(target, link);
  EXPECT_THROW(store_token(link, "token"), TokenError);
  std::ifstream in(target);
  std::string kept;
  in >> kept;
  EXPECT_EQ(kept, "keep");
}

TEST(AccessToken, EnvironmentTokenIsUsedAndNothingIsWritten) {
  const auto path = scratch("env.dash-token");
  std::filesystem::remove(path);
  const AccessToken token = AccessToken::from_environment_or_generate("from-env", path);
  EXPECT_FALSE(token.generated());
  EXPECT_EQ(token.value(), "from-env");
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(AccessToken, TokenFileSitsBesideTheDatabase) {
  EXPECT_EQ(token_file_for("/var/lib/pmx/pmx.db"), std::filesystem::path("/var/lib/pmx/pmx.db.dash-token"));
}

}  // namespace
}  // namespace pmx::dash
