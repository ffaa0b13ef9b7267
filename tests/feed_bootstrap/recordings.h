// The real venue recordings the bootstrap tests read (../shared/data/venues, see its READMEs).
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace pmx::test {

inline std::string read_recording(const std::string& relative) {
  const std::string path = std::string(PMX_SHARED_DATA_DIR) + "/venues/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// GET /trade-api/v2/events/KXNEXTNATOSECGEN-99: a mutually exclusive event with 8 markets.
inline std::string kalshi_event_reply() {
  return read_recording("kalshi/rest_event_KXNEXTNATOSECGEN-99.json");
}

// The event's 8 real Market objects as one GET /markets page.
inline std::string kalshi_markets_page(const std::string& cursor = "") {
  const auto event = nlohmann::json::parse(kalshi_event_reply());
  return nlohmann::json{{"markets", event["markets"]}, {"cursor", cursor}}.dump();
}

// One real page of CLOB GET /markets (100 markets, next_cursor "MTAw").
inline std::string clob_markets_reply() {
  return read_recording("polymarket/clob_markets_page_nautilus.json");
}

// Gamma GET /events for the negRisk event democratic-presidential-nominee-2028 (2 of its markets).
inline std::string gamma_event_reply() {
  return read_recording("polymarket/gamma_event_negrisk_partial_nautilus.json");
}

}  // namespace pmx::test
