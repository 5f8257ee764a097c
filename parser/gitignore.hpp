// .gitignore patterns, so that `dlint DIR` skips what git ignores (build output, vendored trees).
// The semantics are git's (gitignore(5)): a pattern without a slash matches a name at any depth,
// one with a slash is anchored to the .gitignore's folder, a trailing slash matches folders only,
// `**` spans folders, `!` re-includes, and the last matching pattern decides.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockit {

class GitIgnore {
 public:
  GitIgnore() = default;
  // The patterns of one .gitignore file (blank lines and `#` comments skipped).
  static GitIgnore Parse(std::string_view text);

  // The verdict of the last pattern that matches `relative` (a '/'-separated path relative to
  // the .gitignore's folder): true when ignored, false when re-included by a `!` pattern, and
  // nullopt when no pattern matches. Only `relative` itself is matched: whether one of its
  // folders is ignored (which ignores it too) is the caller's question.
  std::optional<bool> Match(std::string_view relative, bool is_directory) const;
  bool Empty() const { return patterns_.empty(); }

 private:
  struct Pattern {
    std::vector<std::string> segments;  // split at '/'
    bool negated = false;
    bool directory_only = false;
    bool anchored = false;  // had a slash before its end: matched from the folder
  };
  std::vector<Pattern> patterns_;
};

}  // namespace dockit
