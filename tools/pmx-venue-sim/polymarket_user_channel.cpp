#include "polymarket_user_channel.h"

#include <boost/json.hpp>

namespace pmx::sim {

namespace json = boost::json;

namespace {

std::vector<std::string> markets_of(const json::object& o) {
  std::vector<std::string> out;
  if (const auto* m = o.if_contains("markets"); m && m->is_array()) {
    for (const auto& e : m->get_array()) {
      if (e.is_string()) out.emplace_back(e.get_string());
    }
  }
  return out;
}

std::string_view string_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

}  // namespace

bool PolymarketUserChannel::on_client_text(std::string_view text, std::vector<std::string>& out) {
  if (text == "PING") {
    out.emplace_back("PONG");
    return true;
  }
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    out.emplace_back("INVALID OPERATION");
    return true;
  }
  const json::object& o = v.get_object();
  if (string_at(o, "type") == "user") {
    const auto* auth = o.if_contains("auth");
    const json::object* a = auth && auth->is_object() ? &auth->get_object() : nullptr;
    const bool ok = auth_.api_key.empty() || (a && string_at(*a, "apiKey") == auth_.api_key &&
                                              string_at(*a, "secret") == auth_.api_secret &&
                                              string_at(*a, "passphrase") == auth_.passphrase);
    if (!ok) return false;
    authenticated_ = true;
    for (auto& m : markets_of(o))
      markets_.insert(std::move(m));
    return true;
  }
  const std::string_view operation = string_at(o, "operation");
  if (authenticated_ && (operation == "subscribe" || operation == "unsubscribe")) {
    for (auto& m : markets_of(o)) {
      if (operation == "subscribe") {
        markets_.insert(std::move(m));
      } else {
        markets_.erase(m);
      }
    }
    return true;
  }
  out.emplace_back("INVALID OPERATION");
  return true;
}

bool PolymarketUserChannel::wants(std::string_view market) const {
  return authenticated_ && (markets_.empty() || markets_.contains(market));
}

}  // namespace pmx::sim
