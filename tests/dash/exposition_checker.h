// A checker of the Prometheus text exposition format (0.0.4), for the /metrics tests: every
// sample belongs to a family declared by # HELP and # TYPE before it, names and label names are
// valid, label values use only the allowed escapes, values are numbers (or NaN, +Inf, -Inf),
// and no series appears twice. Returns the problems found, one line each.
#pragma once

#include <cctype>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace pmx::dash::test {

struct Exposition {
  std::vector<std::string> problems;
  std::map<std::string, std::string> types;   // family -> type
  std::map<std::string, std::string> series;  // name{labels} -> value text
};

inline bool valid_metric_name(const std::string& n) {
  if (n.empty() || std::isdigit(static_cast<unsigned char>(n[0]))) return false;
  for (char c : n)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != ':') return false;
  return true;
}

inline bool valid_value(const std::string& v) {
  if (v == "NaN" || v == "+Inf" || v == "-Inf") return true;
  char* end = nullptr;
  std::strtod(v.c_str(), &end);
  return !v.empty() && end == v.c_str() + v.size();
}

// The family a sample name belongs to (summary and histogram samples carry suffixes).
inline std::string family_of(const std::string& name, const std::map<std::string, std::string>& types) {
  if (types.count(name)) return name;
  for (const char* suffix : {"_count", "_sum", "_bucket"}) {
    const std::string s = suffix;
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
      const std::string base = name.substr(0, name.size() - s.size());
      auto it = types.find(base);
      if (it != types.end() && (it->second == "summary" || it->second == "histogram")) return base;
    }
  }
  return {};
}

inline Exposition check_exposition(const std::string& text) {
  Exposition e;
  std::set<std::string> helped;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  auto problem = [&](const std::string& what) {
    e.problems.push_back("line " + std::to_string(number) + ": " + what + ": " + line);
  };
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) {
      std::istringstream words(line.substr(7));
      std::string name, rest;
      words >> name;
      std::getline(words, rest);
      if (!valid_metric_name(name)) problem("bad family name");
      if (line[2] == 'H') {
        if (!helped.insert(name).second) problem("second HELP");
      } else {
        const std::string type = rest.empty() ? "" : rest.substr(1);
        if (type != "counter" && type != "gauge" && type != "summary" && type != "histogram" &&
            type != "untyped")
          problem("bad type");
        if (!e.types.emplace(name, type).second) problem("second TYPE");
      }
      continue;
    }
    if (line[0] == '#') continue;
    size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ')
      ++i;
    const std::string name = line.substr(0, i);
    if (!valid_metric_name(name)) problem("bad metric name");
    const std::string family = family_of(name, e.types);
    if (family.empty())
      problem("sample before its # TYPE");
    else if (!helped.count(family))
      problem("sample without # HELP");
    std::string labels;
    if (i < line.size() && line[i] == '{') {
      ++i;
      bool first = true;
      while (i < line.size() && line[i] != '}') {
        if (!first) {
          if (line[i] != ',') {
            problem("labels not comma-separated");
            break;
          }
          ++i;
        }
        first = false;
        const size_t eq = line.find('=', i);
        if (eq == std::string::npos || eq + 1 >= line.size() || line[eq + 1] != '"') {
          problem("bad label");
          break;
        }
        if (!valid_metric_name(line.substr(i, eq - i))) problem("bad label name");
        i = eq + 2;
        bool closed = false;
        while (i < line.size()) {
          if (line[i] == '\\') {
            if (i + 1 >= line.size() || (line[i + 1] != '\\' && line[i + 1] != '"' && line[i + 1] != 'n'))
              problem("bad escape in label value");
            i += 2;
          } else if (line[i] == '"') {
            closed = true;
            ++i;
            break;
          } else {
            ++i;
          }
        }
        if (!closed) {
          problem("unterminated label value");
          break;
        }
      }
      if (i >= line.size() || line[i] != '}') {
        problem("labels not closed");
        continue;
      }
      labels = line.substr(name.size(), i + 1 - name.size());
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') {
      problem("no value");
      continue;
    }
    const std::string value = line.substr(i + 1);
    if (!valid_value(value)) problem("bad value");
    if (!e.series.emplace(name + labels, value).second) problem("duplicate series");
  }
  return e;
}

}  // namespace pmx::dash::test
