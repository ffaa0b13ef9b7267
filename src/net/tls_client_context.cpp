#include "tls_client_context.h"

#include <boost/system/error_code.hpp>
#include <openssl/ssl.h>

namespace pmx::net {

std::unique_ptr<boost::asio::ssl::context> make_tls_client_context(const std::string& ca_file,
                                                                   std::string& error) {
  auto ctx = std::make_unique<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  ctx->set_default_verify_paths(ec);
  if (ec) {
    error = "tls: cannot load the system CA store: " + ec.message();
    return nullptr;
  }
  if (!ca_file.empty()) {
    ctx->load_verify_file(ca_file, ec);
    if (ec) {
      error = "tls: cannot load CA file " + ca_file + ": " + ec.message();
      return nullptr;
    }
  }
  return ctx;
}

}  // namespace pmx::net
