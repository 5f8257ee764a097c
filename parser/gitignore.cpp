#include "parser/gitignore.hpp"

#include <fnmatch.h>

namespace dockit {
namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  while (!path.empty()) {
    size_t slash = path.find('/');
    if (slash != 0) out.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

// One path segment against one pattern segment: git's wildmatch within a segment is fnmatch
// with `*` and `?` not crossing '/', `[...]` and `[!...]` classes and backslash escapes.
bool SegmentMatch(const std::string& pattern, const std::string& name) {
  return fnmatch(pattern.c_str(), name.c_str(), FNM_PATHNAME) == 0;
}

// Pattern segments [p..] against path segments [s..]; `**` spans zero or more segments.
bool MatchSegments(const std::vector<std::string>& pattern, size_t p,
                   const std::vector<std::string>& path, size_t s, bool is_directory) {
  for (; p < pattern.size(); ++p, ++s) {
    if (pattern[p] == "**") {
      // A trailing "/**" matches everything inside, and (as `git check-ignore` says) the
      // folder itself, but not a file of that name.
      if (p + 1 == pattern.size()) return s < path.size() || is_directory;
      for (size_t skip = s; skip <= path.size(); ++skip) {
        if (MatchSegments(pattern, p + 1, path, skip, is_directory)) return true;
      }
      return false;
    }
    if (s >= path.size() || !SegmentMatch(pattern[p], path[s])) return false;
  }
  return s == path.size();
}

}  // namespace

GitIgnore GitIgnore::Parse(std::string_view text) {
  GitIgnore out;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string line(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // Trailing spaces are dropped unless escaped with a backslash.
    while (!line.empty() && line.back() == ' ' &&
           !(line.size() >= 2 && line[line.size() - 2] == '\\')) {
      line.pop_back();
    }
    if (line.empty() || line[0] == '#') continue;
    Pattern pattern;
    if (line[0] == '!') {
      pattern.negated = true;
      line.erase(0, 1);
    } else if (line.size() >= 2 && line[0] == '\\' && (line[1] == '!' || line[1] == '#')) {
      line.erase(0, 1);
    }
    if (!line.empty() && line.back() == '/') {
      pattern.directory_only = true;
      line.pop_back();
    }
    pattern.anchored = line.find('/') != std::string::npos;
    pattern.segments = Split(line);
    if (pattern.segments.empty()) continue;
    out.patterns_.push_back(std::move(pattern));
  }
  return out;
}

std::optional<bool> GitIgnore::Match(std::string_view relative, bool is_directory) const {
  std::vector<std::string> path = Split(relative);
  if (path.empty()) return std::nullopt;
  for (auto it = patterns_.rbegin(); it != patterns_.rend(); ++it) {
    if (it->directory_only && !is_directory) continue;
    bool matched = it->anchored ? MatchSegments(it->segments, 0, path, 0, is_directory)
                                : SegmentMatch(it->segments[0], path.back());
    if (matched) return !it->negated;
  }
  return std::nullopt;
}

}  // namespace dockit
