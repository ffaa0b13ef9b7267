// Test helper: splits the HTTP/1.1 text a request builder wrote into its request line, headers
// and body, so tests can check each part (and that Content-Length matches the body).
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace pmx::gateway::test {

struct HttpText {
  std::string request_line;
  std::map<std::string, std::string> headers;
  std::string body;
  bool well_formed = false;
};

inline HttpText parse_http(std::string_view text) {
  HttpText out;
  const size_t end_of_head = text.find("\r\n\r\n");
  if (end_of_head == std::string_view::npos) return out;
  std::string_view head = text.substr(0, end_of_head);
  out.body = std::string(text.substr(end_of_head + 4));
  size_t eol = head.find("\r\n");
  out.request_line = std::string(head.substr(0, eol));
  while (eol != std::string_view::npos) {
    head.remove_prefix(eol + 2);
    eol = head.find("\r\n");
    const std::string_view line = head.substr(0, eol);
    const size_t colon = line.find(": ");
    if (colon == std::string_view::npos) return out;
    out.headers[std::string(line.substr(0, colon))] = std::string(line.substr(colon + 2));
  }
  out.well_formed =
      out.headers.count("Content-Length") && out.headers["Content-Length"] == std::to_string(out.body.size());
  return out;
}

}  // namespace pmx::gateway::test
