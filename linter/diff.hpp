// Unified diffs of a file before and after --fix, for `dlint --fix --dry-run`.
#pragma once

#include <string>
#include <string_view>

namespace dockit::lint {

// `diff -u` style output (`--- a/PATH`, `+++ b/PATH`, hunks with `context` lines around each
// change). Empty when the texts are equal. A last line without a newline is marked with
// `\ No newline at end of file`, as GNU diff does, so that `patch` applies the result.
std::string UnifiedDiff(std::string_view path, std::string_view before, std::string_view after,
                        int context = 3);

}  // namespace dockit::lint
