// Test helper: one RSA-2048 KalshiSigner per test program, from a key generated with OpenSSL.
#pragma once

#include <stdexcept>
#include <string>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "pmx/gateway/kalshi_signer.h"

namespace pmx::gateway::test {

inline const KalshiSigner& test_kalshi_signer() {
  static const KalshiSigner signer = [] {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    if (!key) throw std::runtime_error("EVP_RSA_gen failed");
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<size_t>(n));
    BIO_free(bio);
    EVP_PKEY_free(key);
    return KalshiSigner::from_pem(pem);
  }();
  return signer;
}

}  // namespace pmx::gateway::test
