// Go-compatible text primitives. BuildKit is written in Go, and its parser's behaviour on odd
// input (invalid UTF-8, Unicode spaces, control characters) follows Go's unicode and strconv
// packages; these functions reproduce exactly the parts the parser depends on.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dockit::text {

// Go's utf8.DecodeRuneInString: an invalid or truncated sequence decodes as U+FFFD, width 1.
struct Rune {
  char32_t value;
  uint32_t width;
};
Rune DecodeRune(std::string_view s, size_t pos);
void AppendUtf8(std::string& out, char32_t rune);

// Go's unicode.IsSpace.
bool IsSpace(char32_t rune);
// unicode.IsSpace(rune(byte)): how BuildKit's byte-wise scanners see a byte, so 0x85 and 0xA0
// (UTF-8 continuation bytes) count as spaces there.
inline bool IsSpaceByte(unsigned char b) {
  return b == ' ' || (b >= '\t' && b <= '\r') || b == 0x85 || b == 0xA0;
}
// The separator of BuildKit's `[\t\v\f\r ]+` regular expression.
inline bool IsBlankSep(char c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

// Offsets of strings.TrimLeftFunc / TrimRightFunc(s, unicode.IsSpace) within [begin, end).
uint32_t SkipSpaceForward(std::string_view s, uint32_t begin, uint32_t end);
uint32_t SkipSpaceBackward(std::string_view s, uint32_t begin, uint32_t end);

// Go's unicode.IsPrint, with one documented simplification: code points that are unassigned in
// Unicode are treated as printable (Go escapes them); everything else (controls, format
// characters, non-ASCII spaces, line/paragraph separators, private use, noncharacters) matches.
bool IsPrint(char32_t rune);

// Go's strconv.Quote.
void AppendQuoted(std::string& out, std::string_view s);

// Go's strings.ToLower for the keywords BuildKit dispatches on (ASCII folding; other bytes kept).
std::string AsciiLower(std::string_view s);

// Text for an XML attribute or element: markup escaped; tab, line feed and carriage return as
// character references; the other control characters, which XML 1.0 cannot carry, dropped.
std::string XmlEscape(std::string_view s);

}  // namespace dockit::text
