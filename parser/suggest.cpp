#include "parser/suggest.hpp"

#include <algorithm>
#include <vector>

#include "parser/text.hpp"

namespace dockit {
namespace {

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// adjacent characters (the commonest typo, PAHT for PATH) each cost one.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string Suggest(std::string_view word, const std::vector<std::string_view>& candidates) {
  if (word.size() > 64) return "";
  std::string lower = text::AsciiLower(word);
  std::string best;
  size_t best_distance = 3;
  for (std::string_view c : candidates) {
    size_t d = EditDistance(lower, text::AsciiLower(c));
    if (d < best_distance && d * 2 < std::max<size_t>(lower.size(), 2)) {
      best_distance = d;
      best = std::string(c);
    }
  }
  return best;
}

}  // namespace dockit
