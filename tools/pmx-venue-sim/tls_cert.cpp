#include "tls_cert.h"

#include <cstdio>
#include <memory>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

namespace pmx::sim {

namespace {

struct Deleter {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
  void operator()(X509* p) const noexcept { X509_free(p); }
  void operator()(X509_EXTENSION* p) const noexcept { X509_EXTENSION_free(p); }
  void operator()(FILE* f) const noexcept { std::fclose(f); }
};

void check(bool ok, const char* step) {
  if (!ok) throw std::runtime_error(std::string("self-signed certificate: ") + step + " failed");
}

void add_ext(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, Deleter> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  check(ext != nullptr && X509_add_ext(cert, ext.get(), -1) == 1, "adding an extension");
}

}  // namespace

CertFiles generate_self_signed(const std::string& dir) {
  std::unique_ptr<EVP_PKEY, Deleter> key(EVP_EC_gen("P-256"));
  check(key != nullptr, "EC key generation");
  std::unique_ptr<X509, Deleter> cert(X509_new());
  check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(time(nullptr)));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 30L * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("pmx-venue-sim"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  add_ext(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_ext(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign");
  add_ext(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1");
  add_ext(cert.get(), NID_subject_key_identifier, "hash");
  check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "X509_sign");

  CertFiles files{dir + "/cert.pem", dir + "/key.pem"};
  {
    std::unique_ptr<FILE, Deleter> f(std::fopen(files.key_path.c_str(), "wx"));
    check(f != nullptr, "creating key.pem");
    chmod(files.key_path.c_str(), 0600);
    check(PEM_write_PrivateKey(f.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "writing key.pem");
  }
  {
    std::unique_ptr<FILE, Deleter> f(std::fopen(files.cert_path.c_str(), "w"));
    check(f != nullptr, "creating cert.pem");
    check(PEM_write_X509(f.get(), cert.get()) == 1, "writing cert.pem");
  }
  return files;
}

}  // namespace pmx::sim
