#include "pmx/gateway/kalshi_signer.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pmx::gateway {

namespace {

constexpr int kSaltLength = 32;  // = SHA-256 digest length; see the header

struct PkeyFree {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const noexcept { BIO_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

BioPtr memory_bio(std::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

std::string base64(const unsigned char* data, size_t n) {
  std::string out(4 * ((n + 2) / 3), '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
  out.resize(static_cast<size_t>(written));
  return out;
}

bool unbase64(std::string_view text, std::vector<unsigned char>& out) {
  if (text.empty() || text.size() % 4 != 0) return false;
  out.assign(text.size() / 4 * 3, 0);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return false;
  size_t len = static_cast<size_t>(n);
  // EVP_DecodeBlock keeps the bytes that '=' padding stands for; drop them.
  if (text.back() == '=') --len;
  if (text.size() >= 2 && text[text.size() - 2] == '=') --len;
  out.resize(len);
  return true;
}

bool set_pss(EVP_PKEY_CTX* pctx) {
  return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, kSaltLength) > 0 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) > 0;
}

PkeyPtr read_private_key(std::string_view pem) {
  BioPtr bio = memory_bio(pem);
  if (!bio) return nullptr;
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, const_cast<char*>("")));
  if (!key || EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA) {
    ERR_clear_error();  // leave no stale errors for the next OpenSSL user on this thread
    return nullptr;
  }
  return key;
}

std::string mode_text(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

}  // namespace

struct KalshiSigner::Key {
  PkeyPtr pkey;
};

std::string kalshi_signing_message(int64_t timestamp_ms, std::string_view method, std::string_view path) {
  std::string msg = std::to_string(timestamp_ms);
  for (char c : method)
    msg += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  msg += path.substr(0, path.find('?'));
  return msg;
}

KalshiSigner::KalshiSigner(std::unique_ptr<Key> key) : key_(std::move(key)) {}
KalshiSigner::KalshiSigner(KalshiSigner&&) noexcept = default;
KalshiSigner& KalshiSigner::operator=(KalshiSigner&&) noexcept = default;
KalshiSigner::~KalshiSigner() = default;

KalshiSigner KalshiSigner::from_pem(std::string_view pem) {
  PkeyPtr pkey = read_private_key(pem);
  if (!pkey) throw SigningError("Kalshi private key: the PEM text holds no RSA private key");
  return KalshiSigner(std::make_unique<Key>(Key{std::move(pkey)}));
}

KalshiSigner KalshiSigner::from_pem_file(const std::filesystem::path& path) {
  const std::string p = path.string();
  // Open first and check the mode of what was opened (no check-then-open race).
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw SigningError("Kalshi private key " + p + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw SigningError("Kalshi private key " + p + ": not a regular file");
  }
  const mode_t perms = st.st_mode & 07777;
  if (perms != 0600 && perms != 0400) {
    ::close(fd);
    throw SigningError("Kalshi private key " + p + " has mode " + mode_text(perms) +
                       ": must be 0600 or 0400 (readable by its owner only); run chmod 600 " + p);
  }
  std::string pem;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      ::close(fd);
      throw SigningError("Kalshi private key " + p + ": read failed: " + std::strerror(errno));
    }
    if (n == 0) break;
    pem.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  PkeyPtr pkey = read_private_key(pem);
  OPENSSL_cleanse(pem.data(), pem.size());
  if (!pkey) throw SigningError("Kalshi private key " + p + ": not a PEM RSA private key");
  return KalshiSigner(std::make_unique<Key>(Key{std::move(pkey)}));
}

std::string KalshiSigner::sign(int64_t timestamp_ms, std::string_view method, std::string_view path) const {
  const std::string msg = kalshi_signing_message(timestamp_ms, method, path);
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx ||
      EVP_DigestSignInit_ex(ctx.get(), &pctx, "SHA256", nullptr, nullptr, key_->pkey.get(), nullptr) != 1 ||
      !set_pss(pctx)) {
    throw SigningError("Kalshi signing: cannot set up RSA-PSS SHA-256");
  }
  size_t sig_len = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(msg.data());
  if (EVP_DigestSign(ctx.get(), nullptr, &sig_len, data, msg.size()) != 1) {
    throw SigningError("Kalshi signing: EVP_DigestSign failed");
  }
  std::vector<unsigned char> sig(sig_len);
  if (EVP_DigestSign(ctx.get(), sig.data(), &sig_len, data, msg.size()) != 1) {
    throw SigningError("Kalshi signing: EVP_DigestSign failed");
  }
  return base64(sig.data(), sig_len);
}

KalshiAuthHeaders KalshiSigner::headers(std::string_view key_id, int64_t timestamp_ms,
                                        std::string_view method, std::string_view path) const {
  return KalshiAuthHeaders{std::string(key_id), std::to_string(timestamp_ms),
                           sign(timestamp_ms, method, path)};
}

std::string KalshiSigner::public_key_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_->pkey.get()) != 1) {
    throw SigningError("Kalshi signing: cannot write the public key");
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

namespace {

bool verify_pss(std::string_view public_key_pem, std::string_view message, std::string_view signature_b64) {
  BioPtr bio = memory_bio(public_key_pem);
  if (!bio) return false;
  PkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey || EVP_PKEY_base_id(pkey.get()) != EVP_PKEY_RSA) return false;
  std::vector<unsigned char> sig;
  if (!unbase64(signature_b64, sig)) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx ||
      EVP_DigestVerifyInit_ex(ctx.get(), &pctx, "SHA256", nullptr, nullptr, pkey.get(), nullptr) != 1 ||
      !set_pss(pctx)) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), sig.data(), sig.size(),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

}  // namespace

bool KalshiSigner::verify(std::string_view public_key_pem, std::string_view message,
                          std::string_view signature_b64) noexcept {
  bool ok = false;
  try {
    ok = verify_pss(public_key_pem, message, signature_b64);
  } catch (...) {  // std::bad_alloc
    ok = false;
  }
  ERR_clear_error();
  return ok;
}

}  // namespace pmx::gateway
