#include "parser/text.hpp"

namespace dockit::text {

Rune DecodeRune(std::string_view s, size_t pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + pos;
  size_t left = s.size() - pos;
  unsigned char b0 = p[0];
  if (b0 < 0x80) return {b0, 1};
  auto cont = [&](size_t i) { return i < left && (p[i] & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (cont(1)) return {static_cast<char32_t>(((b0 & 0x1F) << 6) | (p[1] & 0x3F)), 2};
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    // Overlongs (E0 80..9F) and surrogates (ED A0..BF) are invalid, as in Go.
    bool second_ok = left > 1 && (b0 == 0xE0   ? (p[1] >= 0xA0 && p[1] <= 0xBF)
                                  : b0 == 0xED ? (p[1] >= 0x80 && p[1] <= 0x9F)
                                               : cont(1));
    if (second_ok && cont(2)) {
      return {static_cast<char32_t>(((b0 & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F)), 3};
    }
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    bool second_ok = left > 1 && (b0 == 0xF0   ? (p[1] >= 0x90 && p[1] <= 0xBF)
                                  : b0 == 0xF4 ? (p[1] >= 0x80 && p[1] <= 0x8F)
                                               : cont(1));
    if (second_ok && cont(2) && cont(3)) {
      return {static_cast<char32_t>(((b0 & 0x07) << 18) | ((p[1] & 0x3F) << 12) |
                                    ((p[2] & 0x3F) << 6) | (p[3] & 0x3F)),
              4};
    }
  }
  return {0xFFFD, 1};
}

void AppendUtf8(std::string& out, char32_t r) {
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xC0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xE0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  }
}

bool IsSpace(char32_t r) {
  if (r < 0x80) return r == ' ' || (r >= '\t' && r <= '\r');
  switch (r) {
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

uint32_t SkipSpaceForward(std::string_view s, uint32_t begin, uint32_t end) {
  while (begin < end) {
    unsigned char b = s[begin];
    if (b < 0x80) {
      if (!(b == ' ' || (b >= '\t' && b <= '\r'))) break;
      ++begin;
      continue;
    }
    Rune r = DecodeRune(s.substr(0, end), begin);
    if (!IsSpace(r.value)) break;
    begin += r.width;
  }
  return begin;
}

uint32_t SkipSpaceBackward(std::string_view s, uint32_t begin, uint32_t end) {
  while (end > begin) {
    unsigned char b = s[end - 1];
    if (b < 0x80) {
      if (!(b == ' ' || (b >= '\t' && b <= '\r'))) break;
      --end;
      continue;
    }
    // Find the start of the last rune (at most 4 bytes back) and check it decodes to a space.
    uint32_t start = end - 1;
    while (start > begin && end - start < 4 &&
           (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80)
      --start;
    Rune r = DecodeRune(s.substr(0, end), start);
    if (start + r.width != end || !IsSpace(r.value)) break;
    end = start;
  }
  return end;
}

bool IsPrint(char32_t r) {
  if (r < 0x20 || r == 0x7F) return false;
  if (r < 0x7F) return true;
  if (r < 0xA0) return false;                                     // C1 controls
  if (r == 0xA0 || r == 0xAD) return false;                       // NBSP (Zs), soft hyphen (Cf)
  if (r == 0x1680 || (r >= 0x2000 && r <= 0x200F)) return false;  // spaces, ZW*, marks
  if (r >= 0x2028 && r <= 0x202F) return false;                   // separators, bidi, NNBSP
  if (r >= 0x205F && r <= 0x206F) return false;                   // MMSP, invisible operators
  if (r == 0x3000 || r == 0xFEFF) return false;
  if (r >= 0xD800 && r <= 0xDFFF) return false;  // surrogates
  if (r >= 0xE000 && r <= 0xF8FF) return false;  // private use
  if (r >= 0xFFF9 && r <= 0xFFFB) return false;  // interlinear annotation
  if ((r & 0xFFFE) == 0xFFFE) return false;      // noncharacters U+xxFFFE/F
  if (r >= 0xFDD0 && r <= 0xFDEF) return false;
  if (r == 0x600 || r == 0x601 || r == 0x602 || r == 0x603 || r == 0x604 || r == 0x605 ||
      r == 0x61C || r == 0x6DD || r == 0x70F || r == 0x180E)
    return false;                                  // format characters
  if (r >= 0xE0000 && r <= 0xE007F) return false;  // tags
  if (r >= 0xF0000) return false;                  // supplementary private use
  return r <= 0x10FFFF;
}

void AppendQuoted(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size();) {
    unsigned char b = s[i];
    if (b >= 0x20 && b < 0x7F) {
      if (b == '"' || b == '\\') out += '\\';
      out += static_cast<char>(b);
      ++i;
      continue;
    }
    Rune r = DecodeRune(s, i);
    if (r.value == 0xFFFD && r.width == 1) {
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
      ++i;
      continue;
    }
    i += r.width;
    if (IsPrint(r.value)) {
      AppendUtf8(out, r.value);
      continue;
    }
    switch (r.value) {
      case '\a':
        out += "\\a";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\v':
        out += "\\v";
        continue;
      default:
        break;
    }
    if (r.value < 0x20 || r.value == 0x7F) {
      out += "\\x";
      out += kHex[r.value >> 4];
      out += kHex[r.value & 0xF];
    } else if (r.value < 0x10000) {
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(r.value >> shift) & 0xF];
    } else {
      out += "\\U";
      for (int shift = 28; shift >= 0; shift -= 4) out += kHex[(r.value >> shift) & 0xF];
    }
  }
  out += '"';
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\t':
        out += "&#9;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out += c;
    }
  }
  return out;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace dockit::text
