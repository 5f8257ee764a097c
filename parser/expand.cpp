// BuildKit's shell.Lex, rewritten from its behaviour (frontend/dockerfile/shell/lex.go). The
// structure follows lex.go closely on purpose: the Dockerfile frontend's quirks are part of the
// contract (a Dockerfile that BuildKit accepts must expand here to the same text), so they are
// kept rather than fixed. The ones worth knowing:
//   - Input is read rune by rune as Go's text/scanner does: a leading BOM is dropped and each
//     invalid UTF-8 byte becomes U+FFFD.
//   - Words of `${V-w}` and friends are always expanded, whether or not they are used, and
//     quotes in them are removed: `${V#'*'}` has a `*` wildcard.
//   - Patterns keep their escape characters (`\*` is a literal star), but only backslash is an
//     escape inside a pattern, whatever the `# escape=` directive says. `[...]` is literal:
//     BuildKit translates patterns to Go regexps without bracket expressions. `*` and `?` do not
//     match a newline (Go's `.`). `\` before anything but `*`, `?`, `\`, `}` or `/` is an error.
//   - `${V%p}` returns the value with invalid UTF-8 replaced (BuildKit reverses it as runes).
//   - `${V//p/r}` expands `$0`/`${0}` in r to the match and other `$name`s to nothing (Go's
//     Regexp.ReplaceAllString); `${V/p/r}` inserts r literally.
//   - Any error raised once the whole input is consumed inside `${...}` becomes "missing '}'"
//     (or "missing '/' in ${}").
// Deliberate differences, all on input BuildKit rejects anyway:
//   - `${V` reports "syntax error: missing '}'" where BuildKit says "unsupported modifier (\uFFFD)
//     in substitution" (it formats the EOF rune).
//   - A trailing `\` in a pattern reports "invalid escape '\'" (Go prints "%!c(int32=-1)").
//   - Substitutions nested more than kMaxDepth deep are an error (Go's stack grows; ours doesn't).
//   - One BuildKit release shares the word-splitting buffer between nested calls, so ProcessWords
//     drops the text before a `${V:-...}` in the same word; that is a bug, not reproduced here.

#include "parser/expand.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <set>

#include "parser/text.hpp"

namespace dockit {
namespace {

constexpr char32_t kEof = 0xFFFFFFFF;  // beyond Unicode, so it never equals a real rune
constexpr char32_t kReplacementChar = 0xFFFD;
constexpr int kMaxDepth = 200;

// Go's unicode.IsLetter / IsDigit. Latin-1 by table; the rest through RE2's Unicode tables (names
// with non-Latin letters are rare, so the cost does not matter).
bool IsLetter(char32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  if (r < 0x100)
    return r == 0xAA || r == 0xB5 || r == 0xBA || (r >= 0xC0 && r != 0xD7 && r != 0xF7);
  if (r > 0x10FFFF) return false;
  static const RE2 kLetter("\\pL");
  std::string s;
  text::AppendUtf8(s, r);
  return RE2::FullMatch(s, kLetter);
}

bool IsDigit(char32_t r) {
  if (r < 0x80) return r >= '0' && r <= '9';
  if (r < 0x100 || r > 0x10FFFF) return false;
  static const RE2 kDigit("\\p{Nd}");
  std::string s;
  text::AppendUtf8(s, r);
  return RE2::FullMatch(s, kDigit);
}

// POSIX special parameters; BuildKit reads `$@`, `$#`, ... as one-character names.
bool IsSpecialParam(char32_t r) {
  switch (r) {
    case '@':
    case '*':
    case '#':
    case '?':
    case '-':
    case '$':
    case '!':
    case '0':
      return true;
    default:
      return false;
  }
}

std::string Utf8(char32_t r) {
  std::string s;
  text::AppendUtf8(s, r);
  return s;
}

// A string as Go's []rune(s) sees it, with the byte offset of every rune (and of the end).
struct Runes {
  std::vector<char32_t> runes;
  std::vector<size_t> offsets;
};

Runes DecodeAll(std::string_view s) {
  Runes out;
  out.runes.reserve(s.size());
  out.offsets.reserve(s.size() + 1);
  for (size_t pos = 0; pos < s.size();) {
    text::Rune r = text::DecodeRune(s, pos);
    out.runes.push_back(r.value);
    out.offsets.push_back(pos);
    pos += r.width;
  }
  out.offsets.push_back(s.size());
  return out;
}

// --- Patterns ------------------------------------------------------------------------------------

// BuildKit compiles a pattern to a Go regexp made only of literals, `.` and `.*` (or `.*?`);
// these tokens are that regexp.
struct PatternToken {
  enum Kind : uint8_t { kLiteral, kAny, kStar };
  Kind kind;
  char32_t rune;
};

// convertShellPatternToRegex. Returns the error text on failure.
std::optional<std::string> CompilePattern(std::string_view pattern,
                                          std::vector<PatternToken>* tokens) {
  tokens->clear();
  size_t pos = pattern.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;  // text/scanner drops a BOM
  auto next = [&]() -> char32_t {
    if (pos >= pattern.size()) return kEof;
    text::Rune r = text::DecodeRune(pattern, pos);
    pos += r.width;
    return r.value;
  };
  for (char32_t c = next(); c != kEof; c = next()) {
    switch (c) {
      case '*':
        // `.*.*` matches what `.*` matches, with the same preference; one state is enough.
        if (tokens->empty() || tokens->back().kind != PatternToken::kStar) {
          tokens->push_back({PatternToken::kStar, 0});
        }
        continue;
      case '?':
        tokens->push_back({PatternToken::kAny, 0});
        continue;
      case '\\': {
        // `\}` and `\/` only protect the character from ending the ${}; the `\` is dropped.
        size_t save = pos;
        char32_t peek = next();
        pos = save;
        if (peek == '}' || peek == '/') continue;
        c = next();
        if (c == kEof) return "invalid escape '\\'";
        if (c != '*' && c != '?' && c != '\\') return "invalid escape '\\" + Utf8(c) + "'";
        break;
      }
      default:
        break;
    }
    tokens->push_back({PatternToken::kLiteral, c});
  }
  return std::nullopt;
}

// BuildKit's reversePattern: reverses the runes, keeping each `\x` pair in order. Its result,
// not the pattern as written, is what error messages about `%` patterns quote.
std::string ReversePattern(std::string_view pattern) {
  std::vector<char32_t> in = DecodeAll(pattern).runes;
  std::vector<char32_t> out(in.size());
  const size_t n = in.size();
  for (size_t i = 0; i < n;) {
    size_t at = n - 1 - i;
    if (in[i] == '\\' && i + 1 < n) {
      out[at - 1] = in[i];
      out[at] = in[i + 1];
      i += 2;
    } else {
      out[at] = in[i];
      ++i;
    }
  }
  std::string s;
  for (char32_t r : out) text::AppendUtf8(s, r);
  return s;
}

// A Thompson-NFA simulation of the token list: state i means "tokens [0, i) matched". The set of
// live states is tracked per input rune, so matching is O(runes * tokens) with no backtracking,
// the same bound as Go's regexp. Stars are collapsed, so a state's epsilon closure is at most
// itself and the next state.
class Glob {
 public:
  explicit Glob(std::vector<PatternToken> tokens)
      : tokens_(std::move(tokens)),
        seen_(tokens_.size() + 1, 0),
        start_at_(tokens_.size() + 1, 0) {}

  // The length of the shortest (or longest) prefix of `text` the whole pattern matches; that is
  // what `^.*?...` (or `^.*...`) finds, as with only lazy (or only greedy) stars the first match
  // a backtracking engine finds is the shortest (or longest) one.
  std::optional<size_t> MatchPrefix(const std::vector<char32_t>& text, bool longest) {
    const size_t accept = tokens_.size();
    std::vector<Thread> cur, next;
    ++gen_;
    Add(cur, 0, 0);
    std::optional<size_t> best;
    for (size_t i = 0;; ++i) {
      if (seen_[accept] == gen_) {
        best = i;
        if (!longest) return best;
      }
      if (i == text.size() || cur.empty()) return best;
      ++gen_;
      next.clear();
      for (const Thread& t : cur) {
        if (auto s = Step(t.state, text[i])) Add(next, *s, t.start);
      }
      cur.swap(next);
    }
  }

  // Go's unanchored search from rune `from` with greedy stars: the leftmost start, and the
  // longest match from there. Returns [begin, end) in runes.
  std::optional<std::pair<size_t, size_t>> Find(const std::vector<char32_t>& text, size_t from) {
    const size_t accept = tokens_.size();
    std::vector<Thread> cur, next;
    std::optional<std::pair<size_t, size_t>> best;
    ++gen_;
    for (size_t i = from;; ++i) {
      // A thread started here comes after all older ones, so `cur` stays ordered by start and
      // the first thread to reach a state is the leftmost one; once a match is known, later
      // starts cannot win.
      if (!best) Add(cur, 0, i);
      if (seen_[accept] == gen_) {
        size_t s = start_at_[accept];
        if (!best || s < best->first || (s == best->first && i > best->second)) best = {s, i};
      }
      if (i == text.size()) return best;
      ++gen_;
      next.clear();
      for (const Thread& t : cur) {
        if (best && t.start > best->first) continue;
        if (auto s = Step(t.state, text[i])) Add(next, *s, t.start);
      }
      cur.swap(next);
      if (cur.empty() && best) return best;
    }
  }

 private:
  struct Thread {
    size_t state;
    size_t start;
  };

  std::optional<size_t> Step(size_t state, char32_t c) const {
    if (state == tokens_.size()) return std::nullopt;
    const PatternToken& t = tokens_[state];
    switch (t.kind) {
      case PatternToken::kLiteral:
        if (c == t.rune) return state + 1;
        return std::nullopt;
      case PatternToken::kAny:
        if (c != '\n') return state + 1;
        return std::nullopt;
      case PatternToken::kStar:
        if (c != '\n') return state;
        return std::nullopt;
    }
    return std::nullopt;
  }

  // Adds `state` and its closure unless this generation already has them (with an earlier start).
  void Add(std::vector<Thread>& list, size_t state, size_t start) {
    while (seen_[state] != gen_) {
      seen_[state] = gen_;
      start_at_[state] = start;
      list.push_back({state, start});
      if (state == tokens_.size() || tokens_[state].kind != PatternToken::kStar) return;
      ++state;
    }
  }

  std::vector<PatternToken> tokens_;
  std::vector<uint64_t> seen_;
  std::vector<size_t> start_at_;
  uint64_t gen_ = 0;
};

// Go's Regexp.expand for a regexp without groups: `$0`/`${0}` is the match, `$$` is `$`, other
// well-formed `$name`s are empty, and a malformed one keeps its `$`.
void ExpandTemplate(std::string& out, std::string_view tmpl, std::string_view match) {
  while (!tmpl.empty()) {
    size_t dollar = tmpl.find('$');
    if (dollar == std::string_view::npos) break;
    out += tmpl.substr(0, dollar);
    tmpl.remove_prefix(dollar + 1);
    if (!tmpl.empty() && tmpl[0] == '$') {
      out += '$';
      tmpl.remove_prefix(1);
      continue;
    }
    std::string_view rest = tmpl;
    bool brace = !rest.empty() && rest[0] == '{';
    if (brace) rest.remove_prefix(1);
    size_t len = 0;
    while (len < rest.size()) {
      text::Rune r = text::DecodeRune(rest, len);
      if (!IsLetter(r.value) && !IsDigit(r.value) && r.value != '_') break;
      len += r.width;
    }
    if (len == 0 || (brace && (len >= rest.size() || rest[len] != '}'))) {
      out += '$';
      continue;
    }
    std::string_view name = rest.substr(0, len);
    long num = 0;
    for (char ch : name) {
      if (ch < '0' || ch > '9' || num >= 100000000) {
        num = -1;
        break;
      }
      num = num * 10 + (ch - '0');
    }
    if (name[0] == '0' && name.size() > 1) num = -1;
    if (num == 0) out += match;
    tmpl = rest.substr(len + (brace ? 1 : 0));
  }
  out += tmpl;
}

// trimPrefix: drops the shortest (or longest) prefix matching the pattern.
std::string TrimPrefix(std::string_view value, std::vector<PatternToken> tokens, bool greedy) {
  Runes r = DecodeAll(value);
  Glob glob(std::move(tokens));
  std::optional<size_t> n = glob.MatchPrefix(r.runes, greedy);
  return std::string(value.substr(n ? r.offsets[*n] : 0));
}

// trimSuffix: BuildKit reverses value and pattern and trims a prefix; `tokens` are the reversed
// pattern's.
std::string TrimSuffix(std::string_view value, std::vector<PatternToken> tokens, bool greedy) {
  Runes r = DecodeAll(value);
  std::vector<char32_t> reversed(r.runes.rbegin(), r.runes.rend());
  Glob glob(std::move(tokens));
  size_t cut = glob.MatchPrefix(reversed, greedy).value_or(0);
  std::string out;
  for (size_t i = 0; i + cut < r.runes.size(); ++i) text::AppendUtf8(out, r.runes[i]);
  return out;
}

// `${V/p/r}`: the first (leftmost-longest) match replaced by r, literally.
std::string ReplaceFirst(std::string_view value, std::vector<PatternToken> tokens,
                         std::string_view replacement) {
  Runes r = DecodeAll(value);
  Glob glob(std::move(tokens));
  auto m = glob.Find(r.runes, 0);
  if (!m) return std::string(value);
  std::string out(value.substr(0, r.offsets[m->first]));
  out += replacement;
  out += value.substr(r.offsets[m->second]);
  return out;
}

// `${V//p/r}`: Go's Regexp.ReplaceAllString, including its rule that an empty match right after
// the previous match is not replaced, and its template expansion of r.
std::string ReplaceAll(std::string_view value, std::vector<PatternToken> tokens,
                       std::string_view replacement) {
  Runes r = DecodeAll(value);
  Glob glob(std::move(tokens));
  const size_t n = r.runes.size();
  std::string out;
  size_t last_end = 0;  // bytes
  for (size_t search = 0; search <= n;) {
    auto m = glob.Find(r.runes, search);
    if (!m) break;
    size_t begin = r.offsets[m->first];
    size_t end = r.offsets[m->second];
    out += value.substr(last_end, begin - last_end);
    if (end > last_end || begin == 0) {
      ExpandTemplate(out, replacement, value.substr(begin, end - begin));
    }
    last_end = end;
    search = m->second > search ? m->second : search + 1;
  }
  out += value.substr(last_end);
  return out;
}

// --- Words ---------------------------------------------------------------------------------------

// ProcessWords' splitter: unquoted, unescaped whitespace (from the text or from a variable's
// value) ends a word; empty words are dropped.
class WordSplitter {
 public:
  void AddRune(char32_t r) {
    if (text::IsSpace(r)) {
      Flush();
    } else {
      text::AppendUtf8(word_, r);
    }
  }
  void AddRawRune(char32_t r) { text::AppendUtf8(word_, r); }
  void AddQuoted(std::string_view s) { word_ += s; }
  // A variable's value: split too, read as Go's range over a string (invalid bytes -> U+FFFD).
  void AddExpanded(std::string_view s) {
    for (size_t pos = 0; pos < s.size();) {
      text::Rune r = text::DecodeRune(s, pos);
      AddRune(r.value);
      pos += r.width;
    }
  }
  std::vector<std::string> Finish() {
    Flush();
    return std::move(words_);
  }

 private:
  void Flush() {
    if (word_.empty()) return;
    words_.push_back(std::move(word_));
    word_.clear();
  }

  std::string word_;
  std::vector<std::string> words_;
};

// --- The expander --------------------------------------------------------------------------------

// shellWord. Every Process* function returns false after recording error_.
class Expander {
 public:
  Expander(std::string_view input, const VarLookup& env, const ExpandOptions& options)
      : input_(input),
        env_(env),
        options_(options),
        escape_(static_cast<unsigned char>(options.escape)) {}

  ExpandResult<Expansion> Run(bool split) {
    if (input_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // text/scanner drops a leading BOM
    Expansion result;
    WordSplitter splitter;
    raw_escapes_ = options_.raw_escapes;
    if (!ProcessUntil(kEof, options_.raw_escapes, &result.value, split ? &splitter : nullptr)) {
      return *error_;
    }
    if (split) result.words = splitter.Finish();
    std::stable_sort(
        undefined_.begin(), undefined_.end(),
        [](const UndefinedVar& a, const UndefinedVar& b) { return a.begin < b.begin; });
    result.undefined = std::move(undefined_);
    result.matched_names = std::move(matched_);
    return result;
  }

 private:
  char32_t Peek() const {
    if (pos_ >= input_.size()) return kEof;
    return text::DecodeRune(input_, pos_).value;
  }

  char32_t Next() {
    if (pos_ >= input_.size()) return kEof;
    text::Rune r = text::DecodeRune(input_, pos_);
    pos_ += r.width;
    return r.value;
  }

  uint32_t Pos() const { return static_cast<uint32_t>(pos_); }
  uint32_t End() const { return static_cast<uint32_t>(input_.size()); }

  bool Fail(const char* code, std::string message, uint32_t begin, uint32_t end) {
    error_ = ExpandError{code, std::move(message), begin, end};
    return false;
  }

  // After a word inside `${...}` failed: BuildKit replaces whatever error it got by a syntax
  // error when the input is used up at that point.
  bool FailAtEof(const char* code, const char* message, uint32_t begin) {
    if (Peek() == kEof) error_ = ExpandError{code, message, begin, End()};
    return false;
  }

  // processStopOn: expands until `stop` (consumed) or the end of input (kEof).
  bool ProcessUntil(char32_t stop, bool raw_escapes, std::string* out, WordSplitter* words) {
    const bool saved = raw_escapes_;
    raw_escapes_ = raw_escapes;
    bool ok = ProcessUntilImpl(stop, out, words);
    raw_escapes_ = saved;
    return ok;
  }

  bool ProcessUntilImpl(char32_t stop, std::string* out, WordSplitter* words) {
    const uint32_t begin = Pos();
    for (char32_t c = Peek(); c != kEof; c = Peek()) {
      if (stop != kEof && c == stop) {
        Next();
        return true;
      }
      if (c == '$') {
        std::string tmp;
        if (!ProcessDollar(&tmp)) return false;
        *out += tmp;
        if (words) words->AddExpanded(tmp);
        continue;
      }
      if (!options_.skip_quotes && (c == '\'' || c == '"')) {
        std::string tmp;
        if (!(c == '\'' ? ProcessSingleQuote(&tmp) : ProcessDoubleQuote(&tmp))) return false;
        *out += tmp;
        if (words) words->AddQuoted(tmp);
        continue;
      }
      c = Next();
      if (c == escape_) {
        if (raw_escapes_) {
          if (words) words->AddRawRune(c);
          text::AppendUtf8(*out, c);
        }
        c = Next();
        if (c == kEof) break;  // a trailing escape character is dropped
        if (words) words->AddRawRune(c);
      } else if (words) {
        words->AddRune(c);
      }
      text::AppendUtf8(*out, c);
    }
    if (stop != kEof) {
      return Fail("unexpected-end",
                  "unexpected end of statement while looking for matching " + Utf8(stop), begin,
                  End());
    }
    return true;
  }

  // Everything up to the next `'`, as is: there is no escaping inside single quotes.
  bool ProcessSingleQuote(std::string* out) {
    const uint32_t begin = Pos();
    char32_t quote = Next();
    if (options_.raw_quotes) text::AppendUtf8(*out, quote);
    for (;;) {
      char32_t c = Next();
      if (c == kEof) {
        return Fail("unterminated-single-quote",
                    "unexpected end of statement while looking for matching single-quote", begin,
                    End());
      }
      if (c == '\'') {
        if (options_.raw_quotes) text::AppendUtf8(*out, c);
        return true;
      }
      text::AppendUtf8(*out, c);
    }
  }

  // `$` expands inside double quotes; the escape character only escapes `"`, `$` and itself
  // and is otherwise literal (and then doubled under RawEscapes, as in BuildKit).
  bool ProcessDoubleQuote(std::string* out) {
    const uint32_t begin = Pos();
    char32_t quote = Next();
    if (options_.raw_quotes) text::AppendUtf8(*out, quote);
    for (;;) {
      char32_t c = Peek();
      if (c == kEof) {
        return Fail("unterminated-double-quote",
                    "unexpected end of statement while looking for matching double-quote", begin,
                    End());
      }
      if (c == '"') {
        Next();
        if (options_.raw_quotes) text::AppendUtf8(*out, c);
        return true;
      }
      if (c == '$') {
        std::string tmp;
        if (!ProcessDollar(&tmp)) return false;
        *out += tmp;
        continue;
      }
      c = Next();
      if (c == escape_) {
        if (raw_escapes_) text::AppendUtf8(*out, c);
        char32_t peek = Peek();
        if (peek == kEof) continue;  // the unterminated-quote error follows
        if (peek == '"' || peek == '$' || peek == escape_) c = Next();
      }
      text::AppendUtf8(*out, c);
    }
  }

  // processName: digits run together (`$10` is "10"), a special parameter is one character,
  // otherwise Unicode letters, digits and `_`.
  std::string ProcessName() {
    std::string name;
    char32_t c = Peek();
    if (c == kEof) return name;
    if (IsDigit(c)) {
      while (IsDigit(Peek())) text::AppendUtf8(name, Next());
      return name;
    }
    if (IsSpecialParam(c)) {
      text::AppendUtf8(name, Next());
      return name;
    }
    while ((c = Peek()) != kEof && (IsLetter(c) || IsDigit(c) || c == '_')) {
      text::AppendUtf8(name, Next());
    }
    return name;
  }

  std::optional<std::string> Lookup(const std::string& name, uint32_t begin, uint32_t end,
                                    bool guarded) {
    std::optional<std::string> value = env_.Get(name);
    if (value) {
      if (matched_set_.insert(name).second) matched_.push_back(name);
    } else {
      undefined_.push_back(UndefinedVar{name, begin, end, guarded, false});
    }
    return value;
  }

  void MarkDiscarded(size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) undefined_[i].discarded = true;
  }

  bool ProcessDollar(std::string* out) {
    const uint32_t begin = Pos();
    Next();  // '$'
    if (Peek() != '{') {
      std::string name = ProcessName();
      if (name.empty()) {
        *out = "$";  // `$` before anything that is not a name stays literal
        return true;
      }
      std::optional<std::string> value = Lookup(name, begin, Pos(), false);
      *out = value ? *value : options_.skip_unset ? "$" + name : "";
      return true;
    }
    if (depth_ >= kMaxDepth) {
      return Fail("nesting-too-deep", "substitutions are nested too deeply", begin, End());
    }
    ++depth_;
    bool ok = ProcessBraced(begin, out);
    --depth_;
    return ok;
  }

  bool ProcessBraced(uint32_t begin, std::string* out) {
    Next();  // '{'
    char32_t c = Peek();
    if (c == kEof) return Fail("missing-brace", "syntax error: missing '}'", begin, End());
    if (c == '{' || c == '}' || c == ':') {
      return Fail("bad-substitution", "syntax error: bad substitution", begin, Pos() + 1);
    }
    std::string name = ProcessName();
    char32_t op = Next();
    if (op == kEof) return Fail("missing-brace", "syntax error: missing '}'", begin, End());
    std::string ops = Utf8(op);
    bool colon = false;
    switch (op) {
      case '}': {
        std::optional<std::string> value = Lookup(name, begin, Pos(), false);
        *out = value ? *value : options_.skip_unset ? "${" + name + "}" : "";
        return true;
      }
      case '/':
        return ProcessReplace(name, begin, out);
      case ':':
        colon = true;
        op = Next();
        ops += Utf8(op == kEof ? kReplacementChar : op);
        break;
      case '+':
      case '-':
      case '?':
      case '#':
      case '%':
        break;
      default:
        return Fail("unsupported-modifier", "unsupported modifier (" + ops + ") in substitution",
                    begin, Pos());
    }
    return ProcessOperator(name, op, ops, colon, begin, out);
  }

  // `${V<op>word}` for `-`, `+`, `?`, `#`, `%` (any op after `:`, which is checked last).
  bool ProcessOperator(const std::string& name, char32_t op, const std::string& ops, bool colon,
                       uint32_t begin, std::string* out) {
    const bool pattern_op = op == '#' || op == '%';
    if (colon && pattern_op) {
      return Fail("unsupported-modifier", "unsupported modifier (" + ops + ") in substitution",
                  begin, Pos());
    }
    const size_t word_undefined_begin = undefined_.size();
    std::string word;
    if (!ProcessUntil('}', pattern_op, &word, nullptr)) {
      return FailAtEof("missing-brace", "syntax error: missing '}'", begin);
    }
    const size_t word_undefined_end = undefined_.size();
    const bool guarded = op == '-' || op == '+' || op == '?';
    std::optional<std::string> value = Lookup(name, begin, Pos(), guarded);
    if (!value && options_.skip_unset) {
      *out = "${" + name + ops + word + "}";
      return true;
    }
    const bool null = !value || (colon && value->empty());
    switch (op) {
      case '-':
        if (null) {
          *out = word;
        } else {
          *out = *value;
          MarkDiscarded(word_undefined_begin, word_undefined_end);
        }
        return true;
      case '+':
        if (null) {
          out->clear();
          MarkDiscarded(word_undefined_begin, word_undefined_end);
        } else {
          *out = word;
        }
        return true;
      case '?':
        if (null) {
          std::string why = !word.empty() ? word
                            : !value      ? "is not allowed to be unset"
                                          : "is not allowed to be empty";
          return Fail("required-variable", name + ": " + why, begin, Pos());
        }
        *out = *value;
        MarkDiscarded(word_undefined_begin, word_undefined_end);
        return true;
      case '#':
      case '%': {
        // `##` / `%%`: the first character of the expanded word, so `${V#'#'x}` is greedy too.
        const bool greedy = !word.empty() && static_cast<unsigned char>(word[0]) == op;
        if (greedy) word.erase(0, 1);
        std::string pattern = op == '%' ? ReversePattern(word) : word;
        std::vector<PatternToken> tokens;
        if (auto err = CompilePattern(pattern, &tokens)) {
          return Fail("invalid-pattern",
                      "invalid pattern (" + pattern + ") in substitution: " + *err, begin, Pos());
        }
        const std::string v = value.value_or("");
        *out = op == '#' ? TrimPrefix(v, std::move(tokens), greedy)
                         : TrimSuffix(v, std::move(tokens), greedy);
        return true;
      }
      default:
        return Fail("unsupported-modifier", "unsupported modifier (" + ops + ") in substitution",
                    begin, Pos());
    }
  }

  // `${V/pattern/replacement}` and `${V//pattern/replacement}`; both parts keep their escapes.
  bool ProcessReplace(const std::string& name, uint32_t begin, std::string* out) {
    const bool all = Peek() == '/';
    if (all) Next();
    std::string pattern, replacement;
    if (!ProcessUntil('/', true, &pattern, nullptr)) {
      return FailAtEof("missing-slash", "syntax error: missing '/' in ${}", begin);
    }
    if (!ProcessUntil('}', true, &replacement, nullptr)) {
      return FailAtEof("missing-brace", "syntax error: missing '}'", begin);
    }
    std::optional<std::string> value = Lookup(name, begin, Pos(), false);
    if (!value && options_.skip_unset) {
      *out = "${" + name + "/" + pattern + "/" + replacement + "}";  // sic: `//` becomes `/`
      return true;
    }
    std::vector<PatternToken> tokens;
    if (auto err = CompilePattern(pattern, &tokens)) {
      return Fail("invalid-pattern", "invalid pattern (" + pattern + ") in substitution: " + *err,
                  begin, Pos());
    }
    const std::string v = value.value_or("");
    *out = all ? ReplaceAll(v, std::move(tokens), replacement)
               : ReplaceFirst(v, std::move(tokens), replacement);
    return true;
  }

  std::string_view input_;
  size_t pos_ = 0;
  const VarLookup& env_;
  const ExpandOptions options_;
  const char32_t escape_;
  bool raw_escapes_ = false;
  int depth_ = 0;
  std::optional<ExpandError> error_;
  std::vector<UndefinedVar> undefined_;
  std::vector<std::string> matched_;
  std::set<std::string, std::less<>> matched_set_;
};

}  // namespace

MapLookup MapLookup::FromEnvList(const std::vector<std::string>& env) {
  MapLookup lookup;
  for (const std::string& entry : env) {
    size_t eq = entry.find('=');
    if (eq == std::string::npos) {
      lookup.Set(entry, "");
    } else {
      lookup.Set(entry.substr(0, eq), entry.substr(eq + 1));
    }
  }
  return lookup;
}

std::optional<std::string> MapLookup::Get(std::string_view name) const {
  auto it = vars_.find(name);
  if (it == vars_.end()) return std::nullopt;
  return it->second;
}

ExpandResult<Expansion> ExpandWord(std::string_view word, const VarLookup& env,
                                   const ExpandOptions& options) {
  return Expander(word, env, options).Run(false);
}

ExpandResult<Expansion> ExpandWords(std::string_view text, const VarLookup& env,
                                    const ExpandOptions& options) {
  return Expander(text, env, options).Run(true);
}

Diagnostic ToDiagnostic(const ExpandError& error, const SourceRange& range) {
  return Diagnostic{error.code, error.message, range, Severity::kError};
}

}  // namespace dockit
