#include "rules/label_schema.hpp"

#include <array>
#include <string>
#include <unordered_set>
#include <utility>

#include "parser/text.hpp"

namespace dockit::lint {
namespace {

constexpr std::array<std::pair<std::string_view, LabelType>, 7> kTypes{{
    {"text", LabelType::kText},
    {"url", LabelType::kUrl},
    {"email", LabelType::kEmail},
    {"rfc3339", LabelType::kRfc3339},
    {"semver", LabelType::kSemver},
    {"spdx", LabelType::kSpdx},
    {"hash", LabelType::kHash},
}};

bool Alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool Digit(char c) { return c >= '0' && c <= '9'; }
bool Hex(char c) { return Digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool Digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!Digit(c)) return false;
  }
  return true;
}
unsigned Number(std::string_view digits) {
  unsigned n = 0;
  for (char c : digits) n = n * 10 + static_cast<unsigned>(c - '0');
  return n;
}

// --- URL (RFC 3986) ---

bool Unreserved(char c) {
  return Alpha(c) || Digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
bool SubDelim(char c) {
  return c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' ||
         c == '+' || c == ',' || c == ';' || c == '=';
}

// Every byte of `s` is allowed by `ok` or starts a %HH escape.
template <typename Pred>
bool AllPctOr(std::string_view s, Pred ok) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || !Hex(s[i + 1]) || !Hex(s[i + 2])) return false;
      i += 2;
    } else if (!ok(s[i])) {
      return false;
    }
  }
  return true;
}
bool PathChar(char c) { return Unreserved(c) || SubDelim(c) || c == ':' || c == '@' || c == '/'; }
bool QueryChar(char c) { return PathChar(c) || c == '?'; }

bool ValidAuthority(std::string_view authority, bool need_host) {
  std::string_view host = authority;
  if (size_t at = host.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = host.substr(0, at);
    if (!AllPctOr(userinfo, [](char c) { return Unreserved(c) || SubDelim(c) || c == ':'; })) {
      return false;
    }
    host = host.substr(at + 1);
  }
  std::string_view port;
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    if (close == std::string_view::npos) return false;
    std::string_view literal = host.substr(1, close - 1);
    if (literal.empty()) return false;
    for (char c : literal) {
      if (!Hex(c) && c != ':' && c != '.' && c != 'v' && c != 'V' && !Unreserved(c) &&
          !SubDelim(c)) {
        return false;
      }
    }
    std::string_view rest = host.substr(close + 1);
    if (rest.empty()) return true;
    return rest.front() == ':' && (rest.size() == 1 || Digits(rest.substr(1)));
  } else if (size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  for (char c : port) {
    if (!Digit(c)) return false;
  }
  if (need_host && host.empty()) return false;
  return AllPctOr(host, [](char c) { return Unreserved(c) || SubDelim(c); });
}

// --- RFC 3339 ---

bool LeapYear(unsigned y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
unsigned DaysIn(unsigned year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && LeapYear(year) ? 29 : kDays[month - 1];
}
// "NN" at `s[pos]` within [lo, hi].
bool TwoDigits(std::string_view s, size_t pos, unsigned lo, unsigned hi, unsigned* out = nullptr) {
  if (pos + 2 > s.size() || !Digit(s[pos]) || !Digit(s[pos + 1])) return false;
  unsigned n = Number(s.substr(pos, 2));
  if (out) *out = n;
  return n >= lo && n <= hi;
}

// --- SemVer ---

bool Numeric(std::string_view s) { return Digits(s) && (s.size() == 1 || s.front() != '0'); }
bool Identifiers(std::string_view s, bool prerelease) {
  if (s.empty()) return false;
  while (true) {
    size_t dot = s.find('.');
    std::string_view id = s.substr(0, dot);
    if (id.empty()) return false;
    for (char c : id) {
      if (!Alpha(c) && !Digit(c) && c != '-') return false;
    }
    // A numeric pre-release identifier has no leading zeros; build metadata may.
    if (prerelease && Digits(id) && !Numeric(id)) return false;
    if (dot == std::string_view::npos) return true;
    s.remove_prefix(dot + 1);
  }
}

// --- SPDX ---

const std::unordered_set<std::string>& LowerSet(const std::vector<std::string_view>& ids) {
  // One set per list, built on first use (thread-safe static initialisation).
  static const std::unordered_set<std::string> licenses = [] {
    std::unordered_set<std::string> s;
    for (std::string_view id : kSpdxLicenseIds) s.insert(text::AsciiLower(id));
    return s;
  }();
  static const std::unordered_set<std::string> exceptions = [] {
    std::unordered_set<std::string> s;
    for (std::string_view id : kSpdxExceptionIds) s.insert(text::AsciiLower(id));
    return s;
  }();
  return &ids == &kSpdxLicenseIds ? licenses : exceptions;
}

bool IdString(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!Alpha(c) && !Digit(c) && c != '-' && c != '.') return false;
  }
  return true;
}

// ["DocumentRef-" idstring ":"] prefix idstring
bool Ref(std::string_view token, std::string_view prefix) {
  if (token.starts_with("DocumentRef-")) {
    size_t colon = token.find(':');
    if (colon == std::string_view::npos || !IdString(token.substr(12, colon - 12))) return false;
    token.remove_prefix(colon + 1);
  }
  return token.starts_with(prefix) && IdString(token.substr(prefix.size()));
}

class SpdxParser {
 public:
  explicit SpdxParser(std::string_view text) {
    size_t i = 0;
    while (i < text.size()) {
      char c = text[i];
      if (c == ' ' || c == '\t') {
        ++i;
      } else if (c == '(' || c == ')') {
        tokens_.push_back(text.substr(i, 1));
        ++i;
      } else {
        size_t j = i;
        while (j < text.size() && text[j] != ' ' && text[j] != '\t' && text[j] != '(' &&
               text[j] != ')') {
          ++j;
        }
        tokens_.push_back(text.substr(i, j - i));
        i = j;
      }
    }
  }

  bool Valid() { return Expression(0) && pos_ == tokens_.size(); }

 private:
  static bool Operator(std::string_view t, std::string_view upper) {
    return t == upper || text::AsciiLower(upper) == t;
  }
  std::string_view Peek() const { return pos_ < tokens_.size() ? tokens_[pos_] : ""; }

  // expression := term (("AND" | "OR") term)*
  bool Expression(int depth) {
    if (depth > 64 || !Term(depth)) return false;
    while (Operator(Peek(), "AND") || Operator(Peek(), "OR")) {
      ++pos_;
      if (!Term(depth)) return false;
    }
    return true;
  }
  // term := "(" expression ")" | simple ["WITH" exception]
  bool Term(int depth) {
    std::string_view t = Peek();
    if (t == "(") {
      ++pos_;
      if (!Expression(depth + 1) || Peek() != ")") return false;
      ++pos_;
      return true;
    }
    if (t.empty() || t == ")" || !Simple(t)) return false;
    ++pos_;
    if (Operator(Peek(), "WITH")) {
      ++pos_;
      std::string_view e = Peek();
      if (!LowerSet(kSpdxExceptionIds).count(text::AsciiLower(e)) && !Ref(e, "AdditionRef-")) {
        return false;
      }
      ++pos_;
    }
    return true;
  }
  static bool Simple(std::string_view t) {
    if (Ref(t, "LicenseRef-")) return true;
    if (t.size() > 1 && t.back() == '+') t.remove_suffix(1);
    return IsSpdxLicenseId(t);
  }

  std::vector<std::string_view> tokens_;
  size_t pos_ = 0;
};

// --- Email (RFC 5322 addr-spec, RFC 6532 UTF-8) ---

bool AText(char c) {
  static constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
  return Alpha(c) || Digit(c) || kSpecials.find(c) != std::string_view::npos ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool DotAtom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (s[i + 1] == '.') return false;
    } else if (!AText(s[i])) {
      return false;
    }
  }
  return true;
}
bool Printable(char c) { return (c >= 0x21 && c <= 0x7e) || static_cast<unsigned char>(c) >= 0x80; }
// "..." with qtext, spaces and quoted pairs; `s` starts with '"'. Returns the length, 0 if bad.
size_t QuotedString(std::string_view s) {
  for (size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') return i + 1;
    if (c == '\\') {
      if (i + 1 >= s.size() || !(Printable(s[i + 1]) || s[i + 1] == ' ' || s[i + 1] == '\t')) {
        return 0;
      }
      ++i;
    } else if (!Printable(c) && c != ' ' && c != '\t') {
      return 0;
    }
  }
  return 0;
}
bool AddrSpec(std::string_view s) {
  std::string_view local, domain;
  if (!s.empty() && s.front() == '"') {
    size_t n = QuotedString(s);
    if (n == 0 || n >= s.size() || s[n] != '@') return false;
    local = s.substr(0, n);
    domain = s.substr(n + 1);
  } else {
    size_t at = s.rfind('@');
    if (at == std::string_view::npos) return false;
    local = s.substr(0, at);
    domain = s.substr(at + 1);
    if (!DotAtom(local)) return false;
  }
  if (local.size() > 64 || domain.empty()) return false;
  if (domain.front() == '[') {
    if (domain.size() < 2 || domain.back() != ']') return false;
    for (char c : domain.substr(1, domain.size() - 2)) {
      if (!Printable(c) || c == '[' || c == ']' || c == '\\') return false;
    }
    return true;
  }
  return DotAtom(domain);
}

}  // namespace

std::optional<LabelType> ParseLabelType(std::string_view name) {
  if (name.empty()) return LabelType::kText;
  for (const auto& [n, t] : kTypes) {
    if (n == name) return t;
  }
  return std::nullopt;
}

std::string_view LabelTypeName(LabelType type) {
  for (const auto& [n, t] : kTypes) {
    if (t == type) return n;
  }
  return "text";
}

std::string_view LabelTypeNames() { return "text, url, email, rfc3339, semver, spdx, hash"; }

bool IsValidUrl(std::string_view value) {
  size_t colon = value.find(':');
  if (colon == std::string_view::npos || colon == 0 || !Alpha(value.front())) return false;
  std::string_view scheme = value.substr(0, colon);
  for (char c : scheme) {
    if (!Alpha(c) && !Digit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  std::string_view rest = value.substr(colon + 1);
  std::string_view fragment, query;
  bool has_fragment = false, has_query = false;
  if (size_t hash = rest.find('#'); hash != std::string_view::npos) {
    fragment = rest.substr(hash + 1);
    rest = rest.substr(0, hash);
    has_fragment = true;
  }
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
    has_query = true;
  }
  if (has_fragment && !AllPctOr(fragment, QueryChar)) return false;
  if (has_query && !AllPctOr(query, QueryChar)) return false;
  std::string lower = text::AsciiLower(scheme);
  bool need_host = lower == "http" || lower == "https" || lower == "ftp";
  if (rest.starts_with("//")) {
    rest.remove_prefix(2);
    size_t slash = rest.find('/');
    if (!ValidAuthority(rest.substr(0, slash), need_host)) return false;
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  } else if (need_host) {
    return false;
  }
  return AllPctOr(rest, PathChar);
}

bool IsValidRfc3339(std::string_view v) {
  // full-date "T" partial-time time-offset; 'T' and 'Z' may be lower case (RFC 3339 5.6 note).
  unsigned year, month, day, hour, minute, second;
  if (v.size() < 20 || !Digits(v.substr(0, 4)) || v[4] != '-') return false;
  year = Number(v.substr(0, 4));
  if (!TwoDigits(v, 5, 1, 12, &month) || v[7] != '-') return false;
  if (!TwoDigits(v, 8, 1, 31, &day) || day > DaysIn(year, month)) return false;
  if (v[10] != 'T' && v[10] != 't') return false;
  if (!TwoDigits(v, 11, 0, 23, &hour) || v[13] != ':') return false;
  if (!TwoDigits(v, 14, 0, 59, &minute) || v[16] != ':') return false;
  if (!TwoDigits(v, 17, 0, 60, &second)) return false;
  size_t p = 19;
  if (p < v.size() && v[p] == '.') {
    size_t digits = ++p;
    while (p < v.size() && Digit(v[p])) ++p;
    if (p == digits) return false;
  }
  std::string_view offset = v.substr(p);
  if (offset == "Z" || offset == "z") return true;
  return offset.size() == 6 && (offset[0] == '+' || offset[0] == '-') &&
         TwoDigits(offset, 1, 0, 23) && offset[3] == ':' && TwoDigits(offset, 4, 0, 59);
}

bool IsValidSemver(std::string_view v) {
  std::string_view build, pre;
  if (size_t plus = v.find('+'); plus != std::string_view::npos) {
    build = v.substr(plus + 1);
    v = v.substr(0, plus);
    if (!Identifiers(build, false)) return false;
  }
  if (size_t dash = v.find('-'); dash != std::string_view::npos) {
    pre = v.substr(dash + 1);
    v = v.substr(0, dash);
    if (!Identifiers(pre, true)) return false;
  }
  for (int part = 0; part < 3; ++part) {
    size_t dot = v.find('.');
    if ((part < 2) == (dot == std::string_view::npos)) return false;
    if (!Numeric(v.substr(0, dot))) return false;
    v = dot == std::string_view::npos ? std::string_view() : v.substr(dot + 1);
  }
  return true;
}

bool IsSpdxLicenseId(std::string_view id) {
  return !id.empty() && LowerSet(kSpdxLicenseIds).count(text::AsciiLower(id)) > 0;
}

bool IsValidSpdxExpression(std::string_view value) { return SpdxParser(value).Valid(); }

bool IsValidGitHash(std::string_view value) {
  if (!(value.size() >= 7 && value.size() <= 40) && value.size() != 64) return false;
  for (char c : value) {
    if (!Digit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

bool IsValidEmail(std::string_view value) {
  if (!value.empty() && value.back() == '>') {
    size_t open = value.rfind('<');
    if (open == std::string_view::npos) return false;
    // The display name: any printable text without angle brackets (quoted or not).
    for (char c : value.substr(0, open)) {
      if (c == '<' || c == '>' || (!Printable(c) && c != ' ' && c != '\t')) return false;
    }
    return AddrSpec(value.substr(open + 1, value.size() - open - 2));
  }
  return AddrSpec(value);
}

}  // namespace dockit::lint
