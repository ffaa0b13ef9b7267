// Internal to pmx_feed_bootstrap: one GET of a listing page, with the failure turned into a
// BootstrapError and a message that names the URL.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pmx/feed/bootstrap/bootstrap_error.h"
#include "pmx/net/http_client.h"

namespace pmx::bootstrap_detail {

struct Fetched {
  BootstrapError error = BootstrapError::ok;
  std::string message;
  std::string body;
};

// GETs `url`; anything but a 2xx reply is an error ("GET URL: HTTP 503: <start of body>").
Fetched fetch_page(net::HttpClient& http, const std::string& url,
                   const std::vector<net::HttpHeader>& headers);

// `base` without its trailing slashes, so that base + "/markets" has exactly one.
std::string_view trim_slashes(std::string_view base) noexcept;

}  // namespace pmx::bootstrap_detail
