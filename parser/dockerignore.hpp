// .dockerignore files and the pattern language BuildKit shares with `COPY --exclude`.
//
// The behaviour is that of github.com/moby/patternmatcher (and its ignorefile.ReadAll), quirks
// included, because what matters to a user is what BuildKit actually leaves out of the build
// context, not what the documentation suggests. Notable quirks kept on purpose:
//  - `#` starts a comment only in the first column; "  # x" is the pattern "# x".
//  - "/" alone matches nothing; "!/" is the invalid exclusion "!" (Clean turns "!/" into "!").
//  - "**foo" matches any path ending in "foo" ("barfoo" too); "foo**" any path starting with it.
//  - `^` outside a class is a regular-expression anchor once the pattern has a wildcard, so
//    "a^b*" never matches although "a^b" matches the file "a^b".
//  - In a walk (what the context transfer does) a pattern skipped for a directory is not
//    re-checked against that directory for its children; see MatchInWalk.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"
#include "parser/source.hpp"

namespace dockit {

struct CompiledIgnorePattern;  // dockerignore.cpp

// Go's path/filepath primitives on '/'-separated paths (BuildKit's builders run on Linux).
namespace gopath {

// filepath.Clean: removes "", "." and resolvable ".." elements lexically; "" becomes ".".
std::string Clean(std::string_view path);
// filepath.Dir: Clean of everything before the last '/'; "." when there is none.
std::string Dir(std::string_view path);
// filepath.Match: shell patterns where '*' and '?' never match '/', `[...]` classes with ranges
// and `^` negation, and '\\' escapes. nullopt when the pattern is malformed (ErrBadPattern),
// which Go reports wherever the malformed part is, whatever the name.
std::optional<bool> Match(std::string_view pattern, std::string_view name);

}  // namespace gopath

// One pattern, after BuildKit's normalisation.
struct IgnorePattern {
  std::string text;        // as written, surrounding whitespace removed: "!/docs/README.md"
  std::string pattern;     // what is matched, without '!', cleaned: "docs/README.md"
  bool exception = false;  // leading '!': re-includes what earlier patterns excluded
  SourceRange range;       // `text` in its file
};

// The outcome of matching a path: excluded or not, and the pattern that decided it (the last
// one that matched the path or one of its parents). `pattern` is -1 when no pattern matched.
struct IgnoreVerdict {
  bool excluded = false;
  int pattern = -1;
  friend bool operator==(const IgnoreVerdict&, const IgnoreVerdict&) = default;
};

// What a walk carries from a directory to its children: for each pattern, whether it matched
// the directory (patternmatcher.MatchInfo). Default-constructed for top-level entries.
class IgnoreWalkState {
 public:
  IgnoreWalkState() = default;

 private:
  friend class DockerIgnore;
  std::vector<bool> parent_matched_;
};

// A pattern that does not come from a .dockerignore file, e.g. a `COPY --exclude=` value.
struct PatternSpec {
  std::string text;
  SourceRange range;
};

class DockerIgnore {
 public:
  DockerIgnore() = default;  // no patterns: excludes nothing

  // Reads a .dockerignore as ignorefile.ReadAll then patternmatcher.New do. The first invalid
  // pattern is an error with its range (codes "dockerignore-bad-pattern",
  // "dockerignore-illegal-exclusion", "dockerignore-line-too-long").
  static Result<DockerIgnore> Parse(const SourceFile& file);
  // Patterns given to patternmatcher.New directly, as `COPY --exclude` values are: trimmed and
  // cleaned but, unlike .dockerignore lines, a leading '/' is kept (so "/x" matches nothing).
  // `origin` names where they came from in Where() (usually the Dockerfile's path).
  static Result<DockerIgnore> FromPatterns(std::string origin,
                                           const std::vector<PatternSpec>& patterns);

  const std::vector<IgnorePattern>& Patterns() const { return patterns_; }
  bool Empty() const { return patterns_.empty(); }
  bool HasExceptions() const { return has_exceptions_; }
  // "path/.dockerignore:3" for pattern 2 (0-based) written on line 3.
  std::string Where(int pattern) const;

  // patternmatcher's MatchesOrParentMatches: patterns apply in order, the last one matching
  // `path` or any of its parent directories wins. `path` is context-relative with '/'.
  IgnoreVerdict Match(std::string_view path) const;
  // patternmatcher's MatchesExact: the same without parent directories.
  IgnoreVerdict MatchExact(std::string_view path) const;
  // patternmatcher's MatchesUsingParentResults, which BuildKit's context walk and COPY use:
  // `parent` is the state of the directory holding `path`; the state for `path` is stored in
  // `state` (needed when `path` is a directory). It differs from Match in one case: a pattern
  // skipped for a directory (an include pattern while the directory was already excluded) is
  // then tried against the children's own paths only, never their parents.
  IgnoreVerdict MatchInWalk(std::string_view path, const IgnoreWalkState& parent,
                            IgnoreWalkState* state) const;
  // Whether BuildKit's walk still enters the excluded directory `dir` (fsutil's filter): always
  // when an exception pattern has a wildcard; otherwise only when an exception pattern lies
  // inside `dir` literally. A directory it does not enter hides everything below it.
  bool WalkEntersExcludedDir(std::string_view dir) const;

 private:
  // Adds one pattern as patternmatcher.New takes it; `text` and `range` are for reporting.
  Status Add(std::string_view raw, std::string text, SourceRange range);
  bool Matches(size_t index, std::string_view path) const;
  bool MatchesSelfOrParent(size_t index, std::string_view path, std::string_view parent) const;

  std::string origin_;
  std::vector<IgnorePattern> patterns_;
  std::vector<std::shared_ptr<const CompiledIgnorePattern>> compiled_;  // shared: copies stay cheap
  bool has_exceptions_ = false;
  bool only_literal_exceptions_ = true;
};

}  // namespace dockit
