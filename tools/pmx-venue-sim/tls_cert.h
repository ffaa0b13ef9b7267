// A self-signed TLS certificate for the venue simulator's wss:// listeners.
#pragma once

#include <string>

namespace pmx::sim {

struct CertFiles {
  std::string cert_path;  // PEM certificate; tests load it as their trusted CA
  std::string key_path;   // PEM private key, mode 0600
};

// Writes a fresh self-signed certificate (EC P-256, SHA-256, valid 30 days, CA:TRUE, subject
// alternative names DNS:localhost, IP:127.0.0.1, IP:::1) and its key to `dir`/cert.pem and
// `dir`/key.pem. Throws std::runtime_error naming the step that failed.
CertFiles generate_self_signed(const std::string& dir);

}  // namespace pmx::sim
