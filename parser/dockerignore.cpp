#include "parser/dockerignore.hpp"

#include <re2/re2.h>

#include <utility>

#include "parser/text.hpp"

namespace dockit {
namespace gopath {

std::string Clean(std::string_view path) {
  if (path.empty()) return ".";
  const bool rooted = path[0] == '/';
  std::string out;
  size_t r = 0;
  size_t dotdot = 0;  // out[:dotdot] can no longer be removed by ".."
  if (rooted) {
    out = "/";
    r = 1;
    dotdot = 1;
  }
  const size_t n = path.size();
  while (r < n) {
    if (path[r] == '/') {
      ++r;
    } else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/')) {
      ++r;
    } else if (path[r] == '.' && path[r + 1] == '.' && (r + 2 == n || path[r + 2] == '/')) {
      r += 2;
      if (out.size() > dotdot) {
        size_t w = out.size() - 1;
        while (w > dotdot && out[w] != '/') --w;
        out.resize(w);
      } else if (!rooted) {
        if (!out.empty()) out += '/';
        out += "..";
        dotdot = out.size();
      }
    } else {
      if ((rooted && out.size() != 1) || (!rooted && !out.empty())) out += '/';
      while (r < n && path[r] != '/') out += path[r++];
    }
  }
  return out.empty() ? "." : out;
}

std::string Dir(std::string_view path) {
  size_t slash = path.rfind('/');
  return Clean(slash == std::string_view::npos ? std::string_view() : path.substr(0, slash + 1));
}

}  // namespace gopath

namespace {

// Why filepath.Match refused a pattern; the text only makes our diagnostics more helpful.
enum class GlobError {
  kNone,
  kTrailingBackslash,
  kUnterminatedClass,
  kMisplacedClassChar,
  kBadUtf8
};

const char* GlobErrorText(GlobError error) {
  switch (error) {
    case GlobError::kTrailingBackslash:
      return "the pattern ends with an escaping backslash";
    case GlobError::kUnterminatedClass:
      return "a character class is missing its closing ']'";
    case GlobError::kMisplacedClassChar:
      return "a character class has a misplaced '-' or ']'";
    case GlobError::kBadUtf8:
      return "a character class contains invalid UTF-8";
    case GlobError::kNone:
      break;
  }
  return "";
}

// The pieces of Go's filepath.Match, kept in its shape so that its answers (and its errors)
// are the same byte for byte. It is polynomial: a star retries only the chunk after it.
struct Chunk {
  bool star = false;
  std::string_view chunk;
  std::string_view rest;
};

Chunk ScanChunk(std::string_view pattern) {
  Chunk out;
  while (!pattern.empty() && pattern[0] == '*') {
    pattern.remove_prefix(1);
    out.star = true;
  }
  bool in_range = false;
  size_t i = 0;
  for (; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      if (i + 1 < pattern.size()) ++i;
    } else if (c == '[') {
      in_range = true;
    } else if (c == ']') {
      in_range = false;
    } else if (c == '*' && !in_range) {
      break;
    }
  }
  out.chunk = pattern.substr(0, i);
  out.rest = pattern.substr(i);
  return out;
}

// One class character (possibly escaped), as Go's getEsc.
GlobError GetEsc(std::string_view& chunk, char32_t* rune) {
  if (chunk.empty()) return GlobError::kUnterminatedClass;
  if (chunk[0] == '-' || chunk[0] == ']') return GlobError::kMisplacedClassChar;
  if (chunk[0] == '\\') {
    chunk.remove_prefix(1);
    if (chunk.empty()) return GlobError::kUnterminatedClass;
  }
  text::Rune r = text::DecodeRune(chunk, 0);
  if (r.value == 0xFFFD && r.width == 1) return GlobError::kBadUtf8;
  chunk.remove_prefix(r.width);
  if (chunk.empty()) return GlobError::kUnterminatedClass;
  *rune = r.value;
  return GlobError::kNone;
}

struct ChunkMatch {
  bool ok = false;
  std::string_view rest;
  GlobError error = GlobError::kNone;
};

// Go's matchChunk: after a mismatch it keeps reading the chunk so syntax errors still surface.
ChunkMatch MatchChunk(std::string_view chunk, std::string_view s) {
  bool failed = false;
  while (!chunk.empty()) {
    if (!failed && s.empty()) failed = true;
    switch (chunk[0]) {
      case '[': {
        char32_t r = 0;
        if (!failed) {
          text::Rune decoded = text::DecodeRune(s, 0);
          r = decoded.value;
          s.remove_prefix(decoded.width);
        }
        chunk.remove_prefix(1);
        bool negated = false;
        if (!chunk.empty() && chunk[0] == '^') {
          negated = true;
          chunk.remove_prefix(1);
        }
        bool match = false;
        int ranges = 0;
        while (true) {
          if (!chunk.empty() && chunk[0] == ']' && ranges > 0) {
            chunk.remove_prefix(1);
            break;
          }
          char32_t lo = 0;
          if (GlobError e = GetEsc(chunk, &lo); e != GlobError::kNone) return {false, {}, e};
          char32_t hi = lo;
          if (chunk[0] == '-') {
            chunk.remove_prefix(1);
            if (GlobError e = GetEsc(chunk, &hi); e != GlobError::kNone) return {false, {}, e};
          }
          if (lo <= r && r <= hi) match = true;
          ++ranges;
        }
        if (match == negated) failed = true;
        break;
      }
      case '?':
        if (!failed) {
          if (s[0] == '/') failed = true;
          s.remove_prefix(text::DecodeRune(s, 0).width);
        }
        chunk.remove_prefix(1);
        break;
      case '\\':
        chunk.remove_prefix(1);
        if (chunk.empty()) return {false, {}, GlobError::kTrailingBackslash};
        [[fallthrough]];
      default:
        if (!failed) {
          if (chunk[0] != s[0]) failed = true;
          s.remove_prefix(1);
        }
        chunk.remove_prefix(1);
        break;
    }
  }
  if (failed) return {};
  return {true, s, GlobError::kNone};
}

struct GlobResult {
  bool matched = false;
  GlobError error = GlobError::kNone;
};

GlobResult GlobMatch(std::string_view pattern, std::string_view name) {
  while (!pattern.empty()) {
    Chunk c = ScanChunk(pattern);
    pattern = c.rest;
    if (c.star && c.chunk.empty()) return {name.find('/') == std::string_view::npos};
    ChunkMatch m = MatchChunk(c.chunk, name);
    if (m.ok && (m.rest.empty() || !pattern.empty())) {
      name = m.rest;
      continue;
    }
    if (m.error != GlobError::kNone) return {false, m.error};
    bool advanced = false;
    if (c.star) {
      for (size_t i = 0; i < name.size() && name[i] != '/'; ++i) {
        ChunkMatch t = MatchChunk(c.chunk, name.substr(i + 1));
        if (t.ok) {
          if (pattern.empty() && !t.rest.empty()) continue;
          name = t.rest;
          advanced = true;
          break;
        }
        if (t.error != GlobError::kNone) return {false, t.error};
      }
    }
    if (advanced) continue;
    // Go checks the rest of the pattern before answering "no", so errors never hide.
    while (!pattern.empty()) {
      Chunk rest = ScanChunk(pattern);
      pattern = rest.rest;
      ChunkMatch v = MatchChunk(rest.chunk, "");
      if (v.error != GlobError::kNone) return {false, v.error};
    }
    return {};
  }
  return {name.empty()};
}

}  // namespace

namespace gopath {

std::optional<bool> Match(std::string_view pattern, std::string_view name) {
  GlobResult r = GlobMatch(pattern, name);
  if (r.error != GlobError::kNone) return std::nullopt;
  return r.matched;
}

}  // namespace gopath

// A pattern turned into what patternmatcher matches with: plain string comparisons for the
// common shapes, an RE2 regular expression (the same one patternmatcher hands to Go's regexp,
// whose syntax RE2 shares) otherwise. RE2 runs in linear time: no backtracking blow-up.
struct CompiledIgnorePattern {
  enum class Kind { kExact, kPrefix, kSuffix, kRegexp };
  Kind kind = Kind::kExact;
  std::string cleaned;  // the pattern without '!'
  std::unique_ptr<re2::RE2> regex;
  bool exception = false;
};

namespace {

using Compiled = CompiledIgnorePattern;

bool IsRegexMeta(char32_t c) {
  // Regular-expression operators with no meaning in filepath.Match; '^', '[' and ']' are
  // deliberately not escaped by patternmatcher.
  return c < 0x80 &&
         std::string_view(".+()|{}$").find(static_cast<char>(c)) != std::string_view::npos;
}

// patternmatcher's Pattern.compile. Returns an error message, empty on success.
std::string Compile(Compiled& c) {
  std::string_view p = c.cleaned;
  size_t pos = 0;
  // Go's text/scanner silently drops a byte order mark at the start of its input.
  if (p.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  auto peek_is = [&](char ch) { return pos < p.size() && p[pos] == ch; };

  std::string re = "^";
  Compiled::Kind kind = Compiled::Kind::kExact;
  for (int i = 0; pos < p.size(); ++i) {
    text::Rune ch = text::DecodeRune(p, pos);  // invalid bytes become U+FFFD, as in the scanner
    pos += ch.width;
    if (ch.value == '*') {
      if (peek_is('*')) {
        ++pos;
        if (peek_is('/')) ++pos;  // "**/" is "**"
        if (pos >= p.size()) {
          if (kind == Compiled::Kind::kExact) {
            kind = Compiled::Kind::kPrefix;
          } else {
            re += ".*";
            kind = Compiled::Kind::kRegexp;
          }
        } else {
          re += "(.*/)?";  // any number of directories, including none
          kind = Compiled::Kind::kRegexp;
        }
        if (i == 0) kind = Compiled::Kind::kSuffix;
      } else {
        re += "[^/]*";
        kind = Compiled::Kind::kRegexp;
      }
    } else if (ch.value == '?') {
      re += "[^/]";
      kind = Compiled::Kind::kRegexp;
    } else if (IsRegexMeta(ch.value)) {
      re += '\\';
      re += static_cast<char>(ch.value);
    } else if (ch.value == '\\') {
      if (pos < p.size()) {
        text::Rune escaped = text::DecodeRune(p, pos);
        pos += escaped.width;
        // RE2 accepts \C (any byte) where Go's regexp, and so BuildKit, refuses it.
        if (escaped.value == 'C') return "invalid escape sequence: \\C";
        re += '\\';
        text::AppendUtf8(re, escaped.value);
        kind = Compiled::Kind::kRegexp;
      } else {
        re += '\\';
      }
    } else if (ch.value == '[' || ch.value == ']') {
      re += static_cast<char>(ch.value);
      kind = Compiled::Kind::kRegexp;
    } else {
      text::AppendUtf8(re, ch.value);
    }
  }
  c.kind = kind;
  if (kind != Compiled::Kind::kRegexp) return {};
  re += '$';
  RE2::Options options;
  options.set_log_errors(false);
  c.regex = std::make_unique<re2::RE2>(re, options);
  if (!c.regex->ok()) return c.regex->error();
  return {};
}

std::string TrimSpace(std::string_view s) {
  auto size = static_cast<uint32_t>(s.size());
  uint32_t begin = text::SkipSpaceForward(s, 0, size);
  uint32_t end = text::SkipSpaceBackward(s, begin, size);
  return std::string(s.substr(begin, end - begin));
}

// patternWithoutTrailingGlob in fsutil: the literal directory an exception pattern lives in.
std::string_view WithoutTrailingGlob(std::string_view p) {
  if (p.ends_with("/**")) p.remove_suffix(3);
  if (p.ends_with("/*")) p.remove_suffix(2);
  return p;
}

// bufio.Scanner's default limit: a longer line makes ReadAll, and so the build, fail.
constexpr size_t kMaxLineBytes = 64 * 1024 - 1;

}  // namespace

Status DockerIgnore::Add(std::string_view raw, std::string text, SourceRange range) {
  auto error = [&](std::string code, std::string message) {
    return Diagnostic{std::move(code), std::move(message), range, Severity::kError};
  };
  std::string p = TrimSpace(raw);
  if (p.empty()) return OkStatus();
  p = gopath::Clean(p);
  auto compiled = std::make_shared<CompiledIgnorePattern>();
  if (p[0] == '!') {
    if (p.size() == 1)
      return error("dockerignore-illegal-exclusion", "illegal exclusion pattern: \"!\"");
    compiled->exception = true;
    p.erase(0, 1);
  }
  if (GlobResult check = GlobMatch(p, "."); check.error != GlobError::kNone) {
    return error("dockerignore-bad-pattern",
                 "syntax error in pattern \"" + text + "\": " + GlobErrorText(check.error));
  }
  compiled->cleaned = p;
  // patternmatcher compiles lazily and fails at the first path matched; failing here instead
  // reports the same patterns, with a position.
  if (std::string why = Compile(*compiled); !why.empty()) {
    return error("dockerignore-bad-pattern", "syntax error in pattern \"" + text + "\": " + why);
  }
  if (compiled->exception) {
    has_exceptions_ = true;
    if (WithoutTrailingGlob(p).find_first_of("*[]?^\\") != std::string_view::npos) {
      only_literal_exceptions_ = false;
    }
  }
  patterns_.push_back(IgnorePattern{std::move(text), p, compiled->exception, range});
  compiled_.push_back(std::move(compiled));
  return OkStatus();
}

Result<DockerIgnore> DockerIgnore::Parse(const SourceFile& file) {
  DockerIgnore out;
  out.origin_ = file.Path();
  const std::string& text = file.Text();
  const auto size = static_cast<uint32_t>(text.size());
  uint32_t pos = 0;
  bool first = true;
  while (pos < size) {
    // bufio.ScanLines: lines end at '\n', one '\r' before it is dropped.
    size_t newline = text.find('\n', pos);
    uint32_t next = newline == std::string::npos ? size : static_cast<uint32_t>(newline) + 1;
    uint32_t begin = pos;
    uint32_t end = newline == std::string::npos ? size : static_cast<uint32_t>(newline);
    pos = next;
    if (end - begin > kMaxLineBytes) {
      return Diagnostic{"dockerignore-line-too-long",
                        "line is longer than 65535 bytes (bufio.Scanner: token too long)",
                        file.RangeOf(begin, end), Severity::kError};
    }
    if (end > begin && text[end - 1] == '\r') --end;
    if (first && std::string_view(text).substr(begin, end - begin).starts_with("\xEF\xBB\xBF")) {
      begin += 3;  // a UTF-8 byte order mark, on the first line only
    }
    first = false;
    // A comment only when '#' is the very first byte: "  # x" is a pattern.
    if (begin < end && text[begin] == '#') continue;
    uint32_t b = text::SkipSpaceForward(text, begin, end);
    uint32_t e = text::SkipSpaceBackward(text, b, end);
    if (b == e) continue;
    std::string written = text.substr(b, e - b);
    // ReadAll's normalisation: '!' then spaces, filepath.Clean, and no leading '/'.
    std::string p = written;
    const bool invert = p[0] == '!';
    if (invert) p = TrimSpace(std::string_view(p).substr(1));
    if (!p.empty()) {
      p = gopath::Clean(p);
      if (p.size() > 1 && p[0] == '/') p.erase(0, 1);
    }
    if (invert) p = "!" + p;
    if (Status added = out.Add(p, std::move(written), file.RangeOf(b, e)); !added) {
      return added.Error();
    }
  }
  return out;
}

Result<DockerIgnore> DockerIgnore::FromPatterns(std::string origin,
                                                const std::vector<PatternSpec>& patterns) {
  DockerIgnore out;
  out.origin_ = std::move(origin);
  for (const PatternSpec& spec : patterns) {
    if (Status added = out.Add(spec.text, TrimSpace(spec.text), spec.range); !added) {
      return added.Error();
    }
  }
  return out;
}

std::string DockerIgnore::Where(int pattern) const {
  if (pattern < 0 || static_cast<size_t>(pattern) >= patterns_.size()) return origin_;
  return origin_ + ":" + std::to_string(patterns_[pattern].range.begin.line);
}

bool DockerIgnore::Matches(size_t index, std::string_view path) const {
  const CompiledIgnorePattern& c = *compiled_[index];
  std::string_view cleaned = c.cleaned;
  switch (c.kind) {
    case Compiled::Kind::kExact:
      return path == cleaned;
    case Compiled::Kind::kPrefix:
      return path.starts_with(cleaned.substr(0, cleaned.size() - 2));  // drop the "**"
    case Compiled::Kind::kSuffix: {
      std::string_view suffix = cleaned.substr(2);  // drop the "**"
      if (path.ends_with(suffix)) return true;
      return !suffix.empty() && suffix[0] == '/' && path == suffix.substr(1);  // "**/foo": "foo"
    }
    case Compiled::Kind::kRegexp:
      return RE2::PartialMatch(re2::StringPiece(path.data(), path.size()), *c.regex);
  }
  return false;
}

// The pattern against `path`, then against each of its parent directories from the top, as
// patternmatcher joins strings.Split(filepath.Dir(path), "/") back together.
bool DockerIgnore::MatchesSelfOrParent(size_t index, std::string_view path,
                                       std::string_view parent) const {
  if (Matches(index, path)) return true;
  if (parent == ".") return false;
  for (size_t slash = parent.find('/'); slash != std::string_view::npos;
       slash = parent.find('/', slash + 1)) {
    if (Matches(index, parent.substr(0, slash))) return true;
  }
  return Matches(index, parent);
}

IgnoreVerdict DockerIgnore::Match(std::string_view path) const {
  const std::string parent = gopath::Dir(path);
  IgnoreVerdict verdict;
  for (size_t i = 0; i < compiled_.size(); ++i) {
    // Only a pattern that can change the answer is tried: includes while not excluded,
    // exceptions while excluded.
    if (compiled_[i]->exception != verdict.excluded) continue;
    if (MatchesSelfOrParent(i, path, parent)) {
      verdict.excluded = !compiled_[i]->exception;
      verdict.pattern = static_cast<int>(i);
    }
  }
  return verdict;
}

IgnoreVerdict DockerIgnore::MatchExact(std::string_view path) const {
  IgnoreVerdict verdict;
  for (size_t i = 0; i < compiled_.size(); ++i) {
    if (compiled_[i]->exception != verdict.excluded) continue;
    if (Matches(i, path)) {
      verdict.excluded = !compiled_[i]->exception;
      verdict.pattern = static_cast<int>(i);
    }
  }
  return verdict;
}

IgnoreVerdict DockerIgnore::MatchInWalk(std::string_view path, const IgnoreWalkState& parent,
                                        IgnoreWalkState* state) const {
  const std::vector<bool>& inherited = parent.parent_matched_;
  const bool has_parent = !inherited.empty();
  std::vector<bool> matched(compiled_.size(), false);
  std::string parent_dir;
  if (!has_parent) parent_dir = gopath::Dir(path);
  IgnoreVerdict verdict;
  for (size_t i = 0; i < compiled_.size(); ++i) {
    bool m = has_parent && inherited[i];
    if (!m) {
      // A skipped pattern is recorded as "did not match": the quirk described in the header.
      if (compiled_[i]->exception != verdict.excluded) continue;
      m = has_parent ? Matches(i, path) : MatchesSelfOrParent(i, path, parent_dir);
    }
    matched[i] = m;
    if (m) {
      verdict.excluded = !compiled_[i]->exception;
      verdict.pattern = static_cast<int>(i);
    }
  }
  if (state != nullptr) state->parent_matched_ = std::move(matched);
  return verdict;
}

bool DockerIgnore::WalkEntersExcludedDir(std::string_view dir) const {
  if (!only_literal_exceptions_) return true;
  if (!has_exceptions_) return false;
  std::string dir_slash = std::string(dir) + "/";
  for (const IgnorePattern& p : patterns_) {
    if (!p.exception) continue;
    std::string literal = std::string(WithoutTrailingGlob(p.pattern)) + "/";
    if (literal.starts_with(dir_slash)) return true;
  }
  return false;
}

}  // namespace dockit
