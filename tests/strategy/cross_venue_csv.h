// The real Kalshi <-> Polymarket pairs of ../shared/data/venues/cross_venue/ (9 title-matched
// pairs observed 2026-08-29, see that folder's README.md), read from the CSV and written as the
// TOML mapping file a person would write for them.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace pmx::test {

inline std::filesystem::path cross_venue_csv_path() {
  return std::filesystem::path(PMX_SHARED_DATA_DIR) /
         "venues/cross_venue/kalshi_polymarket_pairs_2026-08-29.csv";
}

// One map per row, keyed by the header's column names. The file has no quoted fields.
inline std::vector<std::map<std::string, std::string>> read_cross_venue_csv() {
  std::ifstream in(cross_venue_csv_path());
  std::vector<std::map<std::string, std::string>> rows;
  std::string line;
  std::vector<std::string> header;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    for (std::string field; std::getline(ss, field, ',');)
      fields.push_back(field);
    if (header.empty()) {
      header = fields;
      continue;
    }
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size() && i < fields.size(); ++i)
      row[header[i]] = fields[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

// The mapping entries for the CSV's rows, every one claimed `equivalent = true` (as a careless
// matcher would) so that only the loader's own checks can refuse them. The CSV has no
// resolution-rule column: both sides get the pair's canonical title as their resolution source,
// except KXPRESPERSON-28-NHAL, whose rules differ (README: Kalshi asks who is inaugurated,
// Polymarket who wins the election).
inline std::string cross_venue_toml(const std::vector<std::map<std::string, std::string>>& rows) {
  std::string toml;
  for (const auto& row : rows) {
    const std::string& ticker = row.at("kalshi_yes_ticker");
    std::string kalshi_rule = row.at("canonical_title");
    std::string polymarket_rule = row.at("canonical_title");
    if (ticker == "KXPRESPERSON-28-NHAL") {
      kalshi_rule = "Nikki Haley is inaugurated as President of the United States";
      polymarket_rule = "Nikki Haley wins the 2028 US presidential election";
    }
    toml += "[[pair]]\nname = \"" + ticker + "\"\nequivalent = true\n";
    toml += "[pair.kalshi]\nticker = \"" + ticker + "\"\nresolution_source = \"" + kalshi_rule +
            "\"\nresolution_date = " + row.at("kalshi_resolution_date") + "\n";
    toml += "[pair.polymarket]\nyes_token = \"" + row.at("polymarket_yes_token_id") + "\"\nno_token = \"" +
            row.at("polymarket_no_token_id") + "\"\nresolution_source = \"" + polymarket_rule +
            "\"\nresolution_date = " + row.at("polymarket_resolution_date") + "\n\n";
  }
  return toml;
}

}  // namespace pmx::test
