// The network half of polymarket_markets.h: pages through the venue's listings over an HttpClient and
// hands each reply to the pure page parsers in polymarket_markets.cpp. Kept apart from them so that the
// parsers link (and fuzz: fuzz/fuzz_bootstrap_pages.cpp) without the HTTP client.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "pmx/feed/bootstrap/polymarket_markets.h"

#include "rest_fetch.h"

namespace pmx {

using namespace bootstrap_detail;

namespace {

bool is_closed(const PolymarketMarket& m) noexcept {
  return m.status == MarketStatus::closed || m.status == MarketStatus::determined ||
         m.status == MarketStatus::settled;
}

bool fail_with(PolymarketFetchResult& result, BootstrapError error, std::string message) {
  result.error = error;
  result.message = std::move(message);
  return false;
}

bool fetch_clob(net::HttpClient& http, std::string_view base, const PolymarketFetchOptions& options,
                PolymarketFetchResult& result) {
  const std::string first = std::string(trim_slashes(base)) + "/markets";
  std::string cursor;
  for (int page_number = 1;; ++page_number) {
    std::string url = first;
    if (!cursor.empty()) {
      url += "?next_cursor=";
      net::append_query_escaped(url, cursor);
    }
    if (page_number > options.max_pages) {
      return fail_with(
          result, BootstrapError::too_many_pages,
          "GET " + first + ": still paginating after " + std::to_string(options.max_pages) + " pages");
    }
    Fetched fetched = fetch_page(http, url, options.headers);
    if (fetched.error != BootstrapError::ok)
      return fail_with(result, fetched.error, std::move(fetched.message));
    ClobMarketsPage page = parse_clob_markets_page(fetched.body);
    ++result.catalog.pages;
    if (page.error != BootstrapError::ok)
      return fail_with(result, page.error, "GET " + url + ": " + page.message);
    for (auto& r : page.rejected)
      result.catalog.rejected.push_back(std::move(r));
    for (auto& m : page.markets) {
      if (options.include_closed || !is_closed(m)) result.catalog.markets.push_back(std::move(m));
    }
    if (page.next_cursor.empty() || page.next_cursor == kClobEndCursor) return true;
    if (page.next_cursor == cursor) {
      return fail_with(result, BootstrapError::too_many_pages,
                       "GET " + url + ": the cursor did not advance (\"" + cursor + "\")");
    }
    cursor = std::move(page.next_cursor);
  }
}

bool fetch_gamma(net::HttpClient& http, std::string_view base, const PolymarketFetchOptions& options,
                 PolymarketFetchResult& result) {
  const int limit = options.gamma_events_per_page;
  std::string first = std::string(trim_slashes(base)) + "/events?";
  if (!options.gamma_events_query.empty()) first += options.gamma_events_query + "&";
  first += "limit=" + std::to_string(limit);
  for (int page_number = 1;; ++page_number) {
    if (page_number > options.max_pages) {
      return fail_with(
          result, BootstrapError::too_many_pages,
          "GET " + first + ": still paginating after " + std::to_string(options.max_pages) + " pages");
    }
    const std::string url =
        first + "&offset=" + std::to_string(static_cast<int64_t>(page_number - 1) * limit);
    Fetched fetched = fetch_page(http, url, options.headers);
    if (fetched.error != BootstrapError::ok)
      return fail_with(result, fetched.error, std::move(fetched.message));
    GammaEventsPage page = parse_gamma_events_page(fetched.body);
    ++result.catalog.pages;
    if (page.error != BootstrapError::ok)
      return fail_with(result, page.error, "GET " + url + ": " + page.message);
    for (auto& r : page.rejected)
      result.catalog.rejected.push_back(std::move(r));
    for (auto& e : page.events) {
      if (!options.include_closed) std::erase_if(e.markets, is_closed);
      result.catalog.events.push_back(std::move(e));
    }
    if (page.records < static_cast<size_t>(limit)) return true;
  }
}

}  // namespace

PolymarketFetchResult fetch_polymarket_catalog(net::HttpClient& clob, std::string_view clob_url,
                                               net::HttpClient& gamma, std::string_view gamma_url,
                                               const PolymarketFetchOptions& options) {
  PolymarketFetchResult result;
  if (options.fetch_clob_markets && !fetch_clob(clob, clob_url, options, result)) return result;
  if (options.fetch_gamma_events) fetch_gamma(gamma, gamma_url, options, result);
  return result;
}

}  // namespace pmx
