#include "parser/json_array.hpp"

#include "parser/text.hpp"

namespace dockit {
namespace {

constexpr int kMaxDepth = 10000;  // encoding/json's maxNestingDepth

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class Scanner {
 public:
  Scanner(std::string_view s, uint32_t pos, uint32_t end) : s_(s), pos_(pos), end_(end) {}

  void SkipSpace() {
    while (pos_ < end_ && IsJsonSpace(s_[pos_])) ++pos_;
  }
  bool AtEnd() const { return pos_ >= end_; }
  void Skip() { ++pos_; }
  char Peek() const { return pos_ < end_ ? s_[pos_] : '\0'; }
  uint32_t Pos() const { return pos_; }

  // Scans a string literal at pos_ (which holds '"'); decodes into *out when out != nullptr.
  bool String(std::string* out) {
    ++pos_;
    while (pos_ < end_) {
      unsigned char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        if (++pos_ >= end_) return false;
        char e = s_[pos_++];
        char32_t r;
        switch (e) {
          case '"':
            r = '"';
            break;
          case '\\':
            r = '\\';
            break;
          case '/':
            r = '/';
            break;
          case 'b':
            r = '\b';
            break;
          case 'f':
            r = '\f';
            break;
          case 'n':
            r = '\n';
            break;
          case 'r':
            r = '\r';
            break;
          case 't':
            r = '\t';
            break;
          case 'u': {
            int u = Hex4();
            if (u < 0) return false;
            r = static_cast<char32_t>(u);
            if (r >= 0xD800 && r < 0xDC00) {
              // A high surrogate pairs with an immediately following \uDC00-\uDFFF escape.
              uint32_t save = pos_;
              if (pos_ + 1 < end_ && s_[pos_] == '\\' && s_[pos_ + 1] == 'u') {
                pos_ += 2;
                int lo = Hex4();
                if (lo < 0) return false;
                if (lo >= 0xDC00 && lo < 0xE000) {
                  r = 0x10000 + ((r - 0xD800) << 10) + (lo - 0xDC00);
                } else {
                  pos_ = save;
                  r = 0xFFFD;
                }
              } else {
                r = 0xFFFD;
              }
            } else if (r >= 0xDC00 && r < 0xE000) {
              r = 0xFFFD;
            }
            break;
          }
          default:
            return false;
        }
        if (out) text::AppendUtf8(*out, r);
        continue;
      }
      if (c < 0x80) {
        if (out) *out += static_cast<char>(c);
        ++pos_;
        continue;
      }
      text::Rune r = text::DecodeRune(s_.substr(0, end_), pos_);
      if (out) {
        if (r.value == 0xFFFD && r.width == 1) {
          text::AppendUtf8(*out, 0xFFFD);
        } else {
          out->append(s_.data() + pos_, r.width);
        }
      }
      pos_ += r.width;
    }
    return false;
  }

  bool Number() {
    if (Peek() == '-') ++pos_;
    if (Peek() == '0') {
      ++pos_;
    } else if (Peek() >= '1' && Peek() <= '9') {
      while (Peek() >= '0' && Peek() <= '9') ++pos_;
    } else {
      return false;
    }
    if (Peek() == '.') {
      ++pos_;
      if (!(Peek() >= '0' && Peek() <= '9')) return false;
      while (Peek() >= '0' && Peek() <= '9') ++pos_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!(Peek() >= '0' && Peek() <= '9')) return false;
      while (Peek() >= '0' && Peek() <= '9') ++pos_;
    }
    return true;
  }

  bool Literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word || pos_ + word.size() > end_) return false;
    pos_ += static_cast<uint32_t>(word.size());
    return true;
  }

 private:
  int Hex4() {
    if (pos_ + 4 > end_) return -1;
    int v = 0;
    for (int i = 0; i < 4; ++i) {
      int h = HexValue(s_[pos_ + i]);
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    pos_ += 4;
    return v;
  }

  std::string_view s_;
  uint32_t pos_;
  uint32_t end_;
};

}  // namespace

JsonArray ParseJsonArray(std::string_view text, uint32_t begin, uint32_t end) {
  JsonArray result;
  begin = text::SkipSpaceForward(text, begin, end);
  if (begin >= end || text[begin] != '[') return result;

  // Iterative, so that deep nesting cannot exhaust the stack. `open` holds the open
  // containers; elements of the outermost array are recorded as they are scanned.
  enum class Expect { kValueOrClose, kValue, kKeyOrClose, kKey, kCommaOrClose };
  Scanner sc(text, begin, end);
  std::vector<char> open;
  Expect expect = Expect::kValue;
  bool non_string = false;
  std::vector<JsonElement> elements;

  while (true) {
    sc.SkipSpace();
    if (sc.AtEnd()) return result;
    char c = sc.Peek();
    bool close = !open.empty() && c == (open.back() == '[' ? ']' : '}');
    if (close && (expect == Expect::kValueOrClose || expect == Expect::kKeyOrClose ||
                  expect == Expect::kCommaOrClose)) {
      sc.Skip();
      open.pop_back();
      if (open.empty()) break;
      expect = Expect::kCommaOrClose;
      continue;
    }
    switch (expect) {
      case Expect::kCommaOrClose:
        if (c != ',') return result;
        sc.Skip();
        expect = open.back() == '[' ? Expect::kValue : Expect::kKey;
        continue;
      case Expect::kKey:
      case Expect::kKeyOrClose:
        if (c != '"' || !sc.String(nullptr)) return result;
        sc.SkipSpace();
        if (sc.Peek() != ':') return result;
        sc.Skip();
        expect = Expect::kValue;
        continue;
      case Expect::kValue:
      case Expect::kValueOrClose:
        break;
    }
    bool top = open.size() == 1;
    uint32_t at = sc.Pos();
    if (c == '[' || c == '{') {
      if (static_cast<int>(open.size()) >= kMaxDepth) return result;
      if (top && !non_string) {
        non_string = true;
        result.bad_element = at;
      }
      sc.Skip();
      open.push_back(c);
      expect = c == '[' ? Expect::kValueOrClose : Expect::kKeyOrClose;
      continue;
    }
    if (c == '"') {
      std::string value;
      if (!sc.String(top ? &value : nullptr)) return result;
      if (top) elements.push_back(JsonElement{std::move(value), at, sc.Pos()});
    } else {
      bool ok = (c == '-' || (c >= '0' && c <= '9')) ? sc.Number()
                : c == 't'                           ? sc.Literal("true")
                : c == 'f'                           ? sc.Literal("false")
                : c == 'n'                           ? sc.Literal("null")
                                                     : false;
      if (!ok) return result;
      if (top && !non_string) {
        non_string = true;
        result.bad_element = at;
      }
    }
    expect = Expect::kCommaOrClose;
  }
  sc.SkipSpace();
  if (!sc.AtEnd()) return result;  // text after the array
  if (non_string) {
    result.status = JsonArrayStatus::kNotStrings;
    return result;
  }
  result.status = JsonArrayStatus::kOk;
  result.elements = std::move(elements);
  return result;
}

}  // namespace dockit
