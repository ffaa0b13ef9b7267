// The network half of kalshi_markets.h: pages through the venue's listings over an HttpClient and
// hands each reply to the pure page parsers in kalshi_markets.cpp. Kept apart from them so that the
// parsers link (and fuzz: fuzz/fuzz_bootstrap_pages.cpp) without the HTTP client.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "pmx/feed/bootstrap/kalshi_markets.h"

#include "rest_fetch.h"

namespace pmx {

using namespace bootstrap_detail;

namespace {

// Pages through one listing; `parse` turns a body into a page with .error/.message/.cursor.
template <class Page, class Parse, class Take>
bool fetch_listing(net::HttpClient& http, const std::string& first_url, int max_pages,
                   const std::vector<net::HttpHeader>& headers, KalshiFetchResult& result, Parse&& parse,
                   Take&& take) {
  std::string cursor;
  for (int page_number = 1;; ++page_number) {
    std::string url = first_url;
    if (!cursor.empty()) {
      url += "&cursor=";
      net::append_query_escaped(url, cursor);
    }
    if (page_number > max_pages) {
      result.error = BootstrapError::too_many_pages;
      result.message =
          "GET " + first_url + ": still paginating after " + std::to_string(max_pages) + " pages";
      return false;
    }
    Fetched fetched = fetch_page(http, url, headers);
    if (fetched.error != BootstrapError::ok) {
      result.error = fetched.error;
      result.message = std::move(fetched.message);
      return false;
    }
    Page page = parse(fetched.body);
    ++result.catalog.pages;
    if (page.error != BootstrapError::ok) {
      result.error = page.error;
      result.message = "GET " + url + ": " + page.message;
      return false;
    }
    for (auto& r : page.rejected)
      result.catalog.rejected.push_back(std::move(r));
    take(page);
    if (page.cursor.empty()) return true;
    if (page.cursor == cursor) {
      result.error = BootstrapError::too_many_pages;
      result.message = "GET " + url + ": the cursor did not advance (\"" + cursor + "\")";
      return false;
    }
    cursor = std::move(page.cursor);
  }
}

std::string listing_url(std::string_view base, std::string_view what, int limit, std::string_view status,
                        std::string_view series) {
  std::string url = std::string(trim_slashes(base)) + std::string(what) + "?limit=" + std::to_string(limit);
  if (!status.empty()) {
    url += "&status=";
    net::append_query_escaped(url, status);
  }
  if (!series.empty()) {
    url += "&series_ticker=";
    net::append_query_escaped(url, series);
  }
  return url;
}

}  // namespace

KalshiFetchResult fetch_kalshi_catalog(net::HttpClient& http, std::string_view rest_url,
                                       const KalshiFetchOptions& options) {
  KalshiFetchResult result;
  std::vector<std::string> series = options.series;
  if (series.empty()) series.emplace_back();  // one listing of every series
  for (const auto& s : series) {
    const bool ok = fetch_listing<KalshiMarketsPage>(
        http, listing_url(rest_url, "/markets", options.markets_per_page, options.status, s),
        options.max_pages, options.headers, result, parse_kalshi_markets_page, [&](KalshiMarketsPage& page) {
          for (auto& m : page.markets)
            result.catalog.markets.push_back(std::move(m));
        });
    if (!ok) return result;
    if (!options.fetch_events) continue;
    const bool events_ok = fetch_listing<KalshiEventsPage>(
        http, listing_url(rest_url, "/events", options.events_per_page, options.status, s), options.max_pages,
        options.headers, result, parse_kalshi_events_page, [&](KalshiEventsPage& page) {
          for (auto& e : page.events)
            result.catalog.events.push_back(std::move(e));
        });
    if (!events_ok) return result;
  }
  return result;
}

}  // namespace pmx
