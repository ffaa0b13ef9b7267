// The TLS client context both of pmx_net's clients (WsClient, HttpClient) use: TLS 1.2 or newer,
// the system CA store plus an optional extra CA file. Internal to src/net (it pulls in Asio's
// SSL headers, which public headers must not).
#pragma once

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace pmx::net {

// The context, or null with `error` set to one line naming what could not be loaded.
std::unique_ptr<boost::asio::ssl::context> make_tls_client_context(const std::string& ca_file,
                                                                   std::string& error);

}  // namespace pmx::net
