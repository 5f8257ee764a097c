// What the image verbs share: the store's root and docker's table and time formats.
#include <algorithm>
#include <ctime>

#include "cli/dexec/root.hpp"
#include "cli/dexec/verbs.hpp"
#include "sim/sim_time.hpp"

namespace dockit::dexec {

std::string StoreRoot(const Globals& globals) {
  return globals.root.empty() ? DefaultRoot() : globals.root;
}

namespace {

size_t Width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // code points, as tabwriter counts
  return n;
}

}  // namespace

std::string TextTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], Width(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) {
        line += std::string(std::max<size_t>(widths[i] + 3, 10) - Width(row[i]), ' ');
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string Ago(int64_t unix_seconds) {
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  return sim::HumanDuration(std::max<int64_t>(0, now - unix_seconds)) + " ago";
}

}  // namespace dockit::dexec
