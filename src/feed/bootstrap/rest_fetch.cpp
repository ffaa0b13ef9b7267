#include "rest_fetch.h"

namespace pmx::bootstrap_detail {

Fetched fetch_page(net::HttpClient& http, const std::string& url,
                   const std::vector<net::HttpHeader>& headers) {
  Fetched out;
  auto result = http.get(url, headers);
  if (!result.ok()) {
    out.error = BootstrapError::http_failed;
    out.message = "GET " + url + ": " + std::string(net::to_string(result.error)) + ": " + result.message;
    return out;
  }
  const int status = result.response.status;
  if (status < 200 || status > 299) {
    // The start of the body usually says why (Kalshi and Polymarket send a JSON error object).
    constexpr size_t kShown = 200;
    std::string excerpt = result.response.body.substr(0, kShown);
    for (char& c : excerpt) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    out.error = BootstrapError::http_status;
    out.message = "GET " + url + ": HTTP " + std::to_string(status) + (excerpt.empty() ? "" : ": " + excerpt);
    return out;
  }
  out.body = std::move(result.response.body);
  return out;
}

std::string_view trim_slashes(std::string_view base) noexcept {
  while (!base.empty() && base.back() == '/')
    base.remove_suffix(1);
  return base;
}

}  // namespace pmx::bootstrap_detail
