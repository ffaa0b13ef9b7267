#include "pmx/gateway/kalshi_signer.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using pmx::gateway::KalshiSigner;
using pmx::gateway::SigningError;

struct Pkey {
  EVP_PKEY* p = nullptr;
  ~Pkey() { EVP_PKEY_free(p); }
};

// A fresh RSA-2048 key as PKCS#8 PEM ("BEGIN PRIVATE KEY"), generated with OpenSSL EVP.
std::string generate_rsa_pem() {
  Pkey key{EVP_RSA_gen(2048)};
  if (!key.p) throw std::runtime_error("EVP_RSA_gen failed");
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key.p, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  return pem;
}

const std::string& test_key_pem() {
  static const std::string pem = generate_rsa_pem();
  return pem;
}

std::vector<unsigned char> decode_base64(const std::string& b64) {
  std::vector<unsigned char> out(b64.size());
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(b64.data()),
                                static_cast<int>(b64.size()));
  size_t len = static_cast<size_t>(n);
  if (b64.ends_with("=="))
    len -= 2;
  else if (b64.ends_with("="))
    len -= 1;
  out.resize(len);
  return out;
}

// Verifies with OpenSSL directly (not through KalshiSigner) with the given PSS salt length.
bool openssl_verify(const std::string& public_pem, const std::string& message, const std::string& b64,
                    int salt) {
  BIO* bio = BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size()));
  Pkey key{PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr)};
  BIO_free(bio);
  const auto sig = decode_base64(b64);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = EVP_DigestVerifyInit(ctx, &pctx, EVP_sha256(), nullptr, key.p) == 1 &&
            EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt) > 0 &&
            EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) > 0 &&
            EVP_DigestVerify(ctx, sig.data(), sig.size(),
                             reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

// Signs with OpenSSL directly using an arbitrary salt length.
std::string openssl_sign(const std::string& private_pem, const std::string& message, int salt) {
  BIO* bio = BIO_new_mem_buf(private_pem.data(), static_cast<int>(private_pem.size()));
  Pkey key{PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr)};
  BIO_free(bio);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  EVP_DigestSignInit(ctx, &pctx, EVP_sha256(), nullptr, key.p);
  EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
  EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt);
  size_t len = 0;
  EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  std::vector<unsigned char> sig(len);
  EVP_DigestSign(ctx, sig.data(), &len, reinterpret_cast<const unsigned char*>(message.data()),
                 message.size());
  EVP_MD_CTX_free(ctx);
  std::string b64(4 * ((len + 2) / 3), '\0');
  b64.resize(static_cast<size_t>(
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), sig.data(), static_cast<int>(len))));
  return b64;
}

class TempKeyFile {
 public:
  TempKeyFile(const std::string& pem, mode_t mode) {
    char tmpl[] = "/tmp/pmx-kalshi-key-XXXXXX";
    const int fd = mkstemp(tmpl);
    path_ = tmpl;
    if (write(fd, pem.data(), pem.size()) != static_cast<ssize_t>(pem.size()))
      throw std::runtime_error("write");
    close(fd);
    chmod(path_.c_str(), mode);
  }
  ~TempKeyFile() { std::filesystem::remove(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

TEST(KalshiSigningMessage, IsTimestampThenUpperCaseMethodThenPath) {
  EXPECT_EQ(pmx::gateway::kalshi_signing_message(1703123456789, "get", "/trade-api/ws/v2"),
            "1703123456789GET/trade-api/ws/v2");
}

TEST(KalshiSigningMessage, StripsTheQueryString) {
  EXPECT_EQ(pmx::gateway::kalshi_signing_message(5, "GET", "/trade-api/v2/portfolio/orders?limit=5&cursor=x"),
            "5GET/trade-api/v2/portfolio/orders");
}

TEST(KalshiSigner, SignatureVerifiesThroughTheVerifierAndOpenSsl) {
  const auto signer = KalshiSigner::from_pem(test_key_pem());
  const std::string pub = signer.public_key_pem();
  const std::string sig = signer.sign(1703123456789, "GET", "/trade-api/ws/v2");
  const std::string msg = "1703123456789GET/trade-api/ws/v2";
  EXPECT_TRUE(KalshiSigner::verify(pub, msg, sig));
  EXPECT_TRUE(openssl_verify(pub, msg, sig, 32));
  EXPECT_EQ(decode_base64(sig).size(), 256u);  // RSA-2048
}

TEST(KalshiSigner, SignatureIsNotValidForAnotherSaltLength) {
  const auto signer = KalshiSigner::from_pem(test_key_pem());
  const std::string pub = signer.public_key_pem();
  const std::string msg = "1GET/trade-api/ws/v2";
  const std::string sig = signer.sign(1, "GET", "/trade-api/ws/v2");
  EXPECT_FALSE(openssl_verify(pub, msg, sig, 20));
  EXPECT_FALSE(openssl_verify(pub, msg, sig, RSA_PSS_SALTLEN_MAX));
  // And the other way round: OpenSSL's default (maximum) salt, or salt 20, is refused by verify().
  EXPECT_FALSE(KalshiSigner::verify(pub, msg, openssl_sign(test_key_pem(), msg, RSA_PSS_SALTLEN_MAX)));
  EXPECT_FALSE(KalshiSigner::verify(pub, msg, openssl_sign(test_key_pem(), msg, 20)));
  EXPECT_TRUE(KalshiSigner::verify(pub, msg, openssl_sign(test_key_pem(), msg, 32)));
}

TEST(KalshiSigner, SignsThePathWithoutItsQueryString) {
  const auto signer = KalshiSigner::from_pem(test_key_pem());
  const std::string sig = signer.sign(42, "get", "/trade-api/v2/portfolio/orders?limit=5");
  EXPECT_TRUE(KalshiSigner::verify(signer.public_key_pem(), "42GET/trade-api/v2/portfolio/orders", sig));
  EXPECT_FALSE(
      KalshiSigner::verify(signer.public_key_pem(), "42GET/trade-api/v2/portfolio/orders?limit=5", sig));
}

TEST(KalshiSigner, VerifyRejectsTamperedMessageWrongKeyAndGarbage) {
  const auto signer = KalshiSigner::from_pem(test_key_pem());
  const auto other = KalshiSigner::from_pem(generate_rsa_pem());
  const std::string sig = signer.sign(7, "GET", "/trade-api/ws/v2");
  EXPECT_FALSE(KalshiSigner::verify(signer.public_key_pem(), "8GET/trade-api/ws/v2", sig));
  EXPECT_FALSE(KalshiSigner::verify(other.public_key_pem(), "7GET/trade-api/ws/v2", sig));
  EXPECT_FALSE(KalshiSigner::verify(signer.public_key_pem(), "7GET/trade-api/ws/v2", "not base64!"));
  EXPECT_FALSE(KalshiSigner::verify(signer.public_key_pem(), "7GET/trade-api/ws/v2", ""));
  EXPECT_FALSE(KalshiSigner::verify("not a pem", "7GET/trade-api/ws/v2", sig));
}

TEST(KalshiSigner, HeadersCarryKeyTimestampAndSignature) {
  const auto signer = KalshiSigner::from_pem(test_key_pem());
  const auto h = signer.headers("key-uuid", 1700000000123, "GET", "/trade-api/ws/v2");
  EXPECT_EQ(h.key, "key-uuid");
  EXPECT_EQ(h.timestamp, "1700000000123");
  EXPECT_TRUE(KalshiSigner::verify(signer.public_key_pem(), "1700000000123GET/trade-api/ws/v2", h.signature));
}

TEST(KalshiSigner, LoadsAKeyFileWithMode0600Or0400) {
  for (mode_t mode : {0600, 0400}) {
    TempKeyFile file(test_key_pem(), mode);
    const auto signer = KalshiSigner::from_pem_file(file.path());
    EXPECT_TRUE(KalshiSigner::verify(signer.public_key_pem(), "1GET/x", signer.sign(1, "GET", "/x")));
  }
}

TEST(KalshiSigner, RefusesAKeyFileReadableByOthers) {
  TempKeyFile file(test_key_pem(), 0644);
  try {
    (void)KalshiSigner::from_pem_file(file.path());
    FAIL() << "a 0644 key file was accepted";
  } catch (const SigningError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(file.path().string()), std::string::npos) << what;
    EXPECT_NE(what.find("0644"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_EQ(what.find("PRIVATE KEY"), std::string::npos) << "the message must not leak the key";
  }
  TempKeyFile group(test_key_pem(), 0640);
  EXPECT_THROW((void)KalshiSigner::from_pem_file(group.path()), SigningError);
}

TEST(KalshiSigner, RefusesMissingFilesAndNonRsaPem) {
  EXPECT_THROW((void)KalshiSigner::from_pem_file("/nonexistent/pmx-key.pem"), SigningError);
  EXPECT_THROW((void)KalshiSigner::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
               SigningError);
  Pkey ec{EVP_EC_gen("P-256")};
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, ec.p, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  const std::string ec_pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  EXPECT_THROW((void)KalshiSigner::from_pem(ec_pem), SigningError);
}

}  // namespace
