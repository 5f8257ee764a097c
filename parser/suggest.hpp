// "Did you mean" suggestions for unknown instructions, flags and stage names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dockit {

// The candidate closest to `word` by case-insensitive edit distance, if it is close enough to
// be a plausible typo (distance <= 2 and less than half the word); "" otherwise.
std::string Suggest(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace dockit
