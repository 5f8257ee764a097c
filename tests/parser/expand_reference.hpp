// A deliberately slow, literal model of BuildKit's shell.Lex, used only by the property tests in
// expand_test.cpp to cross-check parser/expand.cpp. It works on a decoded rune array, matches
// patterns by trying every candidate span with a plain dynamic program, splits words after the
// fact from tagged pieces and knows only the letters and digits the test generator produces.
// It has no nesting limit; the generator stays far below the real one.
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parser/expand.hpp"
#include "parser/text.hpp"

namespace dockit::reference {

struct Outcome {
  bool ok = false;
  std::string value;
  std::vector<std::string> words;
  std::vector<UndefinedVar> undefined;
  std::vector<std::string> matched;
  ExpandError error;
};

inline constexpr char32_t kEnd = 0x7FFFFFFF;

// Letters and digits as Go's unicode package classifies them, for the generator's alphabet
// (ASCII, Latin-1, 'λ' and the Arabic-Indic digit three).
inline bool RefLetter(char32_t r) {
  if ((r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')) return true;
  if (r == 0xAA || r == 0xB5 || r == 0xBA) return true;
  if (r >= 0xC0 && r <= 0xFF) return r != 0xD7 && r != 0xF7;
  return r == 0x3BB;
}
inline bool RefDigit(char32_t r) { return (r >= '0' && r <= '9') || r == 0x663; }
inline bool RefNameChar(char32_t r) { return RefLetter(r) || RefDigit(r) || r == '_'; }

inline std::string RefUtf8(char32_t r) {
  std::string s;
  text::AppendUtf8(s, r);
  return s;
}

inline std::vector<char32_t> RefRunes(std::string_view s, std::vector<size_t>* offsets = nullptr) {
  std::vector<char32_t> out;
  size_t pos = 0;
  while (pos < s.size()) {
    auto r = text::DecodeRune(s, pos);
    if (offsets) offsets->push_back(pos);
    out.push_back(r.value);
    pos += r.width;
  }
  if (offsets) offsets->push_back(s.size());
  return out;
}

// Pattern elements: a rune, '?' (any but newline) or '*' (any run without a newline).
struct RefTok {
  int kind;  // 0 literal, 1 any, 2 star
  char32_t rune;
};

// convertShellPatternToRegex, as a token list; the error text on failure.
inline std::optional<std::string> RefCompile(std::string_view pattern, std::vector<RefTok>& out) {
  std::vector<char32_t> p = RefRunes(pattern);
  size_t i = (!p.empty() && p[0] == 0xFEFF) ? 1 : 0;
  while (i < p.size()) {
    char32_t c = p[i++];
    if (c == '*') {
      out.push_back({2, 0});
    } else if (c == '?') {
      out.push_back({1, 0});
    } else if (c == '\\') {
      if (i < p.size() && (p[i] == '}' || p[i] == '/')) continue;
      if (i == p.size()) return std::string("invalid escape '\\'");
      char32_t e = p[i++];
      if (e != '*' && e != '?' && e != '\\') return "invalid escape '\\" + RefUtf8(e) + "'";
      out.push_back({0, e});
    } else {
      out.push_back({0, c});
    }
  }
  return std::nullopt;
}

// Does s[from, to) match the whole token list?
inline bool RefFull(const std::vector<RefTok>& t, const std::vector<char32_t>& s, size_t from,
                    size_t to) {
  // ok[k][j]: tokens [k, end) match s[j, to).
  const size_t n = to - from;
  std::vector<std::vector<char>> ok(t.size() + 1, std::vector<char>(n + 1, 0));
  ok[t.size()][n] = 1;
  for (size_t k = t.size(); k-- > 0;) {
    for (size_t j = n + 1; j-- > 0;) {
      const RefTok& tok = t[k];
      bool can_take = j < n && s[from + j] != '\n';
      if (tok.kind == 0) {
        ok[k][j] = j < n && s[from + j] == tok.rune && ok[k + 1][j + 1];
      } else if (tok.kind == 1) {
        ok[k][j] = can_take && ok[k + 1][j + 1];
      } else {
        ok[k][j] = ok[k + 1][j] || (can_take && ok[k][j + 1]);
      }
    }
  }
  return ok[0][0];
}

// Go's template expansion for a group-less regexp.
inline std::string RefTemplate(const std::string& tmpl, const std::string& match) {
  std::string out;
  size_t i = 0;
  while (i < tmpl.size()) {
    if (tmpl[i] != '$') {
      out += tmpl[i++];
      continue;
    }
    ++i;
    if (i < tmpl.size() && tmpl[i] == '$') {
      out += '$';
      ++i;
      continue;
    }
    size_t j = i;
    bool brace = j < tmpl.size() && tmpl[j] == '{';
    if (brace) ++j;
    size_t name_begin = j;
    while (j < tmpl.size()) {
      auto r = text::DecodeRune(tmpl, j);
      if (!RefNameChar(r.value)) break;
      j += r.width;
    }
    std::string name = tmpl.substr(name_begin, j - name_begin);
    if (name.empty() || (brace && (j >= tmpl.size() || tmpl[j] != '}'))) {
      out += '$';
      continue;
    }
    if (brace) ++j;
    if (name == "0") out += match;  // the only group; `00`, `0x`, ... are other (absent) names
    i = j;
  }
  return out;
}

class Model {
 public:
  Model(std::string_view input, const std::map<std::string, std::string>& env,
        const ExpandOptions& options)
      : input_(input), env_(env), opt_(options) {
    s_ = RefRunes(input, &at_);
  }

  Outcome Run(bool split) {
    Outcome o;
    if (!s_.empty() && s_[0] == 0xFEFF) i_ = 1;
    std::vector<Piece> pieces;
    raw_ = opt_.raw_escapes;
    std::optional<std::string> v = Until(kEnd, opt_.raw_escapes, split ? &pieces : nullptr);
    if (!v) {
      o.error = error_;
      return o;
    }
    o.ok = true;
    o.value = *v;
    if (split) {
      std::string word;
      for (const Piece& p : pieces) {
        if (p.space) {
          if (!word.empty()) o.words.push_back(word);
          word.clear();
        } else {
          word += p.bytes;
        }
      }
      if (!word.empty()) o.words.push_back(word);
    }
    std::stable_sort(
        undefined_.begin(), undefined_.end(),
        [](const UndefinedVar& a, const UndefinedVar& b) { return a.begin < b.begin; });
    o.undefined = undefined_;
    o.matched = matched_;
    return o;
  }

 private:
  // A bit of output for word splitting: `space` pieces separate words, others are glued.
  struct Piece {
    std::string bytes;
    bool space;
  };

  char32_t At() const { return i_ < s_.size() ? s_[i_] : kEnd; }
  uint32_t Off(size_t i) const { return static_cast<uint32_t>(at_[std::min(i, s_.size())]); }
  uint32_t Size() const { return static_cast<uint32_t>(input_.size()); }

  std::nullopt_t Err(const char* code, std::string msg, uint32_t b, uint32_t e) {
    error_ = ExpandError{code, std::move(msg), b, e};
    return std::nullopt;
  }

  std::optional<std::string> Until(char32_t stop, bool raw, std::vector<Piece>* pieces) {
    bool saved = raw_;
    raw_ = raw;
    auto r = UntilInner(stop, pieces);
    raw_ = saved;
    return r;
  }

  std::optional<std::string> UntilInner(char32_t stop, std::vector<Piece>* pieces) {
    size_t start = i_;
    std::string out;
    const char32_t esc = static_cast<unsigned char>(opt_.escape);
    while (i_ < s_.size()) {
      char32_t c = s_[i_];
      if (stop != kEnd && c == stop) {
        ++i_;
        return out;
      }
      if (c == '$') {
        auto v = Dollar();
        if (!v) return std::nullopt;
        out += *v;
        if (pieces) {
          for (char32_t r : RefRunes(*v)) pieces->push_back({RefUtf8(r), text::IsSpace(r)});
        }
      } else if (!opt_.skip_quotes && c == '\'') {
        auto v = Single();
        if (!v) return std::nullopt;
        out += *v;
        if (pieces) pieces->push_back({*v, false});
      } else if (!opt_.skip_quotes && c == '"') {
        auto v = Double();
        if (!v) return std::nullopt;
        out += *v;
        if (pieces) pieces->push_back({*v, false});
      } else if (c == esc) {
        ++i_;
        if (raw_) {
          out += RefUtf8(c);
          if (pieces) pieces->push_back({RefUtf8(c), false});
        }
        if (i_ == s_.size()) break;
        out += RefUtf8(s_[i_]);
        if (pieces) pieces->push_back({RefUtf8(s_[i_]), false});
        ++i_;
      } else {
        out += RefUtf8(c);
        if (pieces) pieces->push_back({RefUtf8(c), text::IsSpace(c)});
        ++i_;
      }
    }
    if (stop != kEnd) {
      return Err("unexpected-end",
                 "unexpected end of statement while looking for matching " + RefUtf8(stop),
                 Off(start), Size());
    }
    return out;
  }

  std::optional<std::string> Single() {
    size_t start = i_++;
    std::string out = opt_.raw_quotes ? "'" : "";
    for (; i_ < s_.size(); ++i_) {
      if (s_[i_] == '\'') {
        ++i_;
        if (opt_.raw_quotes) out += '\'';
        return out;
      }
      out += RefUtf8(s_[i_]);
    }
    return Err("unterminated-single-quote",
               "unexpected end of statement while looking for matching single-quote", Off(start),
               Size());
  }

  std::optional<std::string> Double() {
    size_t start = i_++;
    const char32_t esc = static_cast<unsigned char>(opt_.escape);
    std::string out = opt_.raw_quotes ? "\"" : "";
    while (i_ < s_.size()) {
      char32_t c = s_[i_];
      if (c == '"') {
        ++i_;
        if (opt_.raw_quotes) out += '"';
        return out;
      }
      if (c == '$') {
        auto v = Dollar();
        if (!v) return std::nullopt;
        out += *v;
        continue;
      }
      ++i_;
      if (c == esc) {
        if (raw_) out += RefUtf8(c);
        if (i_ == s_.size()) break;
        char32_t n = s_[i_];
        if (n == '"' || n == '$' || n == esc) {
          out += RefUtf8(n);
          ++i_;
          continue;
        }
      }
      out += RefUtf8(c);
    }
    return Err("unterminated-double-quote",
               "unexpected end of statement while looking for matching double-quote", Off(start),
               Size());
  }

  std::string Name() {
    std::string name;
    if (i_ >= s_.size()) return name;
    char32_t c = s_[i_];
    if (RefDigit(c)) {
      while (i_ < s_.size() && RefDigit(s_[i_])) name += RefUtf8(s_[i_++]);
      return name;
    }
    if (std::u32string_view(U"@*#?-$!0").find(c) != std::u32string_view::npos) {
      ++i_;
      return RefUtf8(c);
    }
    while (i_ < s_.size() && RefNameChar(s_[i_])) name += RefUtf8(s_[i_++]);
    return name;
  }

  std::optional<std::string> Get(const std::string& name, uint32_t b, uint32_t e, bool guarded) {
    auto it = env_.find(name);
    if (it == env_.end()) {
      undefined_.push_back({name, b, e, guarded, false});
      return std::nullopt;
    }
    if (std::find(matched_.begin(), matched_.end(), name) == matched_.end()) {
      matched_.push_back(name);
    }
    return it->second;
  }

  std::optional<std::string> Dollar() {
    size_t start = i_++;
    uint32_t b = Off(start);
    if (At() != '{') {
      std::string name = Name();
      if (name.empty()) return std::string("$");
      auto v = Get(name, b, Off(i_), false);
      if (v) return v;
      return opt_.skip_unset ? "$" + name : "";
    }
    ++i_;
    if (At() == kEnd) return Err("missing-brace", "syntax error: missing '}'", b, Size());
    if (At() == '{' || At() == '}' || At() == ':') {
      return Err("bad-substitution", "syntax error: bad substitution", b, Off(i_) + 1);
    }
    std::string name = Name();
    if (At() == kEnd) return Err("missing-brace", "syntax error: missing '}'", b, Size());
    char32_t op = s_[i_++];
    if (op == '}') {
      auto v = Get(name, b, Off(i_), false);
      if (v) return v;
      return opt_.skip_unset ? "${" + name + "}" : "";
    }
    if (op == '/') return Replace(name, b);
    bool colon = false;
    std::string ops = RefUtf8(op);
    if (op == ':') {
      colon = true;
      op = At();
      if (op != kEnd) ++i_;
      ops += RefUtf8(op == kEnd ? 0xFFFD : op);
    } else if (std::u32string_view(U"+-?#%").find(op) == std::u32string_view::npos) {
      return Err("unsupported-modifier", "unsupported modifier (" + ops + ") in substitution", b,
                 Off(i_));
    }
    bool pat = op == '#' || op == '%';
    if (colon && pat) {
      return Err("unsupported-modifier", "unsupported modifier (" + ops + ") in substitution", b,
                 Off(i_));
    }
    size_t mark = undefined_.size();
    auto word = Until('}', pat, nullptr);
    if (!word) {
      if (i_ >= s_.size()) error_ = {"missing-brace", "syntax error: missing '}'", b, Size()};
      return std::nullopt;
    }
    size_t mark_end = undefined_.size();
    bool guarded = op == '-' || op == '+' || op == '?';
    auto v = Get(name, b, Off(i_), guarded);
    if (!v && opt_.skip_unset) return "${" + name + ops + *word + "}";
    bool unset_or_null = !v || (colon && v->empty());
    auto discard = [&] {
      for (size_t k = mark; k < mark_end; ++k) undefined_[k].discarded = true;
    };
    if (op == '-') {
      if (unset_or_null) return word;
      discard();
      return v;
    }
    if (op == '+') {
      if (unset_or_null) {
        discard();
        return std::string();
      }
      return word;
    }
    if (op == '?') {
      if (!v) {
        return Err("required-variable",
                   name + ": " + (word->empty() ? "is not allowed to be unset" : *word), b,
                   Off(i_));
      }
      if (colon && v->empty()) {
        return Err("required-variable",
                   name + ": " + (word->empty() ? "is not allowed to be empty" : *word), b,
                   Off(i_));
      }
      discard();
      return v;
    }
    if (pat) return Trim(op, *word, v.value_or(""), b);
    return Err("unsupported-modifier", "unsupported modifier (" + ops + ") in substitution", b,
               Off(i_));
  }

  std::optional<std::string> Trim(char32_t op, std::string word, const std::string& value,
                                  uint32_t b) {
    bool greedy = !word.empty() && static_cast<unsigned char>(word[0]) == op;
    if (greedy) word = word.substr(1);
    std::vector<char32_t> v = RefRunes(value);
    if (op == '%') {
      // Reverse the pattern keeping `\x` pairs, and the value, then trim a prefix.
      std::vector<char32_t> p = RefRunes(word);
      std::vector<std::vector<char32_t>> units;
      for (size_t k = 0; k < p.size();) {
        if (p[k] == '\\' && k + 1 < p.size()) {
          units.push_back({p[k], p[k + 1]});
          k += 2;
        } else {
          units.push_back({p[k]});
          k += 1;
        }
      }
      std::string rev;
      for (size_t k = units.size(); k-- > 0;) {
        for (char32_t r : units[k]) rev += RefUtf8(r);
      }
      word = rev;
      std::reverse(v.begin(), v.end());
    }
    std::vector<RefTok> toks;
    if (auto e = RefCompile(word, toks)) {
      return Err("invalid-pattern", "invalid pattern (" + word + ") in substitution: " + *e, b,
                 Off(i_));
    }
    std::optional<size_t> cut;
    for (size_t len = 0; len <= v.size(); ++len) {
      if (RefFull(toks, v, 0, len)) {
        cut = len;
        if (!greedy) break;
      }
    }
    if (op == '#') {
      std::vector<size_t> offs;
      RefRunes(value, &offs);
      return value.substr(offs[cut.value_or(0)]);
    }
    // `v` is reversed: its last runes are the value's first ones, which are what `%` keeps.
    std::string out;
    for (size_t k = 0; k + cut.value_or(0) < v.size(); ++k) out += RefUtf8(v[v.size() - 1 - k]);
    return out;
  }

  std::optional<std::string> Replace(const std::string& name, uint32_t b) {
    bool all = At() == '/';
    if (all) ++i_;
    auto pattern = Until('/', true, nullptr);
    if (!pattern) {
      if (i_ >= s_.size()) {
        error_ = {"missing-slash", "syntax error: missing '/' in ${}", b, Size()};
      }
      return std::nullopt;
    }
    auto repl = Until('}', true, nullptr);
    if (!repl) {
      if (i_ >= s_.size()) error_ = {"missing-brace", "syntax error: missing '}'", b, Size()};
      return std::nullopt;
    }
    auto v = Get(name, b, Off(i_), false);
    if (!v && opt_.skip_unset) return "${" + name + "/" + *pattern + "/" + *repl + "}";
    std::vector<RefTok> toks;
    if (auto e = RefCompile(*pattern, toks)) {
      return Err("invalid-pattern", "invalid pattern (" + *pattern + ") in substitution: " + *e, b,
                 Off(i_));
    }
    std::string value = v.value_or("");
    std::vector<size_t> offs;
    std::vector<char32_t> r = RefRunes(value, &offs);
    // Leftmost start, then longest end.
    auto find = [&](size_t from) -> std::optional<std::pair<size_t, size_t>> {
      for (size_t s = from; s <= r.size(); ++s) {
        for (size_t e = r.size() + 1; e-- > s;) {
          if (RefFull(toks, r, s, e)) return std::make_pair(s, e);
        }
      }
      return std::nullopt;
    };
    if (!all) {
      auto m = find(0);
      if (!m) return value;
      return value.substr(0, offs[m->first]) + *repl + value.substr(offs[m->second]);
    }
    std::string out;
    size_t last = 0;  // rune index of the end of the previous match
    size_t pos = 0;   // where the next search starts
    bool any = false;
    while (pos <= r.size()) {
      auto m = find(pos);
      if (!m) break;
      out += value.substr(offs[last], offs[m->first] - offs[last]);
      bool empty_after_previous = any && m->second == last;
      if (!empty_after_previous || m->first == 0) {
        out += RefTemplate(*repl, value.substr(offs[m->first], offs[m->second] - offs[m->first]));
      }
      any = true;
      last = m->second;
      pos = m->second == pos ? pos + 1 : m->second;
    }
    out += value.substr(offs[last]);
    return out;
  }

  std::string_view input_;
  const std::map<std::string, std::string>& env_;
  ExpandOptions opt_;
  std::vector<char32_t> s_;
  std::vector<size_t> at_;
  size_t i_ = 0;
  bool raw_ = false;
  ExpandError error_;
  std::vector<UndefinedVar> undefined_;
  std::vector<std::string> matched_;
};

inline Outcome Expand(std::string_view input, const std::map<std::string, std::string>& env,
                      const ExpandOptions& options, bool split) {
  return Model(input, env, options).Run(split);
}

}  // namespace dockit::reference
