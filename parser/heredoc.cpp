#include "parser/heredoc.hpp"

namespace dockit {
namespace {

bool IsShellSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsGoRegexSpace(char c) {  // Go regexp's \s
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

struct Span {
  uint32_t begin;
  uint32_t end;
};

// Shell words with quotes and escapes kept raw (BuildKit's lexer with RawQuotes and
// RawEscapes, no variable expansion). An unterminated quote runs to the end of the line.
std::vector<Span> RawShellWords(std::string_view s) {
  std::vector<Span> words;
  uint32_t n = static_cast<uint32_t>(s.size());
  uint32_t i = 0;
  while (i < n) {
    while (i < n && IsShellSpace(s[i])) ++i;
    if (i >= n) break;
    uint32_t begin = i;
    while (i < n && !IsShellSpace(s[i])) {
      char c = s[i];
      if (c == '\\') {
        i += 2;
      } else if (c == '\'') {
        ++i;
        while (i < n && s[i] != '\'') ++i;
        ++i;
      } else if (c == '"') {
        ++i;
        while (i < n && s[i] != '"') i += s[i] == '\\' ? 2 : 1;
        ++i;
      } else {
        ++i;
      }
    }
    if (i > n) i = n;
    words.push_back({begin, i});
  }
  return words;
}

// `^\d*<<-?$`: a heredoc operator whose delimiter follows after blanks.
bool IsBareOperator(std::string_view w) {
  size_t p = 0;
  while (p < w.size() && w[p] >= '0' && w[p] <= '9') ++p;
  if (w.substr(p, 2) != "<<") return false;
  p += 2;
  if (p < w.size() && w[p] == '-') ++p;
  return p == w.size();
}

// Shell word processing of a delimiter: quotes removed (or kept, raw_quotes), escapes applied.
struct LexResult {
  std::vector<std::string> words;
  std::optional<std::string> error;
};
LexResult LexWords(std::string_view s, bool raw_quotes) {
  LexResult out;
  std::string cur;
  bool in_word = false;
  size_t n = s.size();
  for (size_t i = 0; i < n; ++i) {
    char c = s[i];
    if (IsShellSpace(c)) {
      if (in_word) out.words.push_back(std::move(cur));
      cur.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\') {
      if (i + 1 < n) cur += s[++i];
    } else if (c == '\'') {
      size_t j = s.find('\'', i + 1);
      if (j == std::string_view::npos) {
        out.error = "unexpected end of statement while looking for matching single-quote";
        return out;
      }
      if (raw_quotes) cur += '\'';
      cur.append(s.substr(i + 1, j - i - 1));
      if (raw_quotes) cur += '\'';
      i = j;
    } else if (c == '"') {
      if (raw_quotes) cur += '"';
      size_t k = i + 1;
      while (k < n && s[k] != '"') {
        if (s[k] == '\\' && k + 1 < n && (s[k + 1] == '"' || s[k + 1] == '$' || s[k + 1] == '\\')) {
          cur += s[k + 1];
          k += 2;
        } else {
          cur += s[k++];
        }
      }
      if (k >= n) {
        out.error = "unexpected end of statement while looking for matching double-quote";
        return out;
      }
      if (raw_quotes) cur += '"';
      i = k;
    } else {
      cur += c;
    }
  }
  if (in_word) out.words.push_back(std::move(cur));
  return out;
}

size_t CountQuotes(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (c == '\'' || c == '"');
  return n;
}

}  // namespace

HeredocParse ParseHeredocWord(std::string_view w) {
  HeredocParse out;
  // `^(\d*)<<(-?)\s*([^<]*)$`
  size_t p = 0;
  unsigned fd = 0;
  while (p < w.size() && w[p] >= '0' && w[p] <= '9') {
    fd = fd * 10 + static_cast<unsigned>(w[p] - '0');
    ++p;
  }
  if (w.substr(p, 2) != "<<") return out;
  p += 2;
  bool chomp = p < w.size() && w[p] == '-';
  if (chomp) ++p;
  while (p < w.size() && IsGoRegexSpace(w[p])) ++p;
  std::string_view rest = w.substr(p);
  if (rest.empty() || rest.find('<') != std::string_view::npos) return out;

  LexResult plain = LexWords(rest, /*raw_quotes=*/false);
  if (plain.error) {
    out.error = plain.error;
    return out;
  }
  if (plain.words.size() != 1) return out;  // `<<EOF sh` is not one delimiter word
  LexResult raw = LexWords(rest, /*raw_quotes=*/true);
  if (raw.error || raw.words.size() != 1) {
    out.error = "internal lexing of heredoc produced inconsistent results: " + std::string(rest);
    return out;
  }
  HeredocWord h;
  h.name = plain.words[0];
  // Quoting any part of the delimiter turns expansion off: compare quote counts with and
  // without quote removal, as BuildKit does.
  h.expand = CountQuotes(plain.words[0]) == CountQuotes(raw.words[0]);
  h.chomp = chomp;
  h.fd = fd;
  out.heredoc = std::move(h);
  return out;
}

HeredocScan ScanHeredocs(std::string_view line) {
  HeredocScan scan;
  std::vector<Span> words = RawShellWords(line);
  for (size_t i = 0; i < words.size(); ++i) {
    Span span = words[i];
    if (i + 1 < words.size() && IsBareOperator(line.substr(span.begin, span.end - span.begin))) {
      span.end = words[++i].end;  // `<< EOF`: the delimiter may follow after blanks
    }
    HeredocParse parsed = ParseHeredocWord(line.substr(span.begin, span.end - span.begin));
    if (parsed.error) {
      scan.error = parsed.error;
      scan.error_begin = span.begin;
      scan.error_end = span.end;
      return scan;
    }
    if (parsed.heredoc) {
      parsed.heredoc->begin = span.begin;
      parsed.heredoc->end = span.end;
      scan.words.push_back(std::move(*parsed.heredoc));
    }
  }
  return scan;
}

}  // namespace dockit
