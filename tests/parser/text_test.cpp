#include "parser/text.hpp"

#include <catch2/catch.hpp>

namespace dockit::text {
namespace {

std::string Quoted(std::string_view s) {
  std::string out;
  AppendQuoted(out, s);
  return out;
}

TEST_CASE("AppendQuoted follows Go's strconv.Quote", "[text]") {
  CHECK(Quoted("plain") == "\"plain\"");
  CHECK(Quoted("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(Quoted(std::string("\a\b\f\n\r\t\v\0\x7f", 9)) == "\"\\a\\b\\f\\n\\r\\t\\v\\x00\\x7f\"");
  CHECK(Quoted("\xe2\x99\xa5 caf\xc3\xa9") == "\"\xe2\x99\xa5 caf\xc3\xa9\"");  // printable kept
  CHECK(Quoted("\xc2\xa0") == "\"\\u00a0\"");                                   // NBSP
  CHECK(Quoted("\xc2\xad") == "\"\\u00ad\"");                                   // soft hyphen
  CHECK(Quoted("\xe2\x80\xa8") == "\"\\u2028\"");
  CHECK(Quoted("\xef\xbb\xbf") == "\"\\ufeff\"");
  CHECK(Quoted("\xf3\xa0\x80\x81") == "\"\\U000e0001\"");  // a tag character
  CHECK(Quoted("\xff\xc3") == "\"\\xff\\xc3\"");           // invalid bytes, one by one
  CHECK(Quoted("\xed\xa0\x80") == "\"\\xed\\xa0\\x80\"");  // an encoded surrogate is invalid
}

TEST_CASE("DecodeRune follows Go's utf8.DecodeRuneInString", "[text]") {
  auto decode = [](std::string_view s) {
    Rune r = DecodeRune(s, 0);
    return std::pair<uint32_t, uint32_t>(r.value, r.width);
  };
  CHECK(decode("A") == std::pair<uint32_t, uint32_t>('A', 1));
  CHECK(decode("\xc3\xa9") == std::pair<uint32_t, uint32_t>(0xE9, 2));
  CHECK(decode("\xf0\x9f\x90\xb3") == std::pair<uint32_t, uint32_t>(0x1F433, 4));
  CHECK(decode("\xc0\xaf") == std::pair<uint32_t, uint32_t>(0xFFFD, 1));          // overlong
  CHECK(decode("\xe2\x82") == std::pair<uint32_t, uint32_t>(0xFFFD, 1));          // truncated
  CHECK(decode("\xf4\x90\x80\x80") == std::pair<uint32_t, uint32_t>(0xFFFD, 1));  // > U+10FFFF
}

TEST_CASE("Unicode whitespace as Go's unicode.IsSpace sees it", "[text]") {
  std::string s = "\xc2\xa0 \t x \xe3\x80\x80\xc2\x85";
  uint32_t b = SkipSpaceForward(s, 0, static_cast<uint32_t>(s.size()));
  uint32_t e = SkipSpaceBackward(s, b, static_cast<uint32_t>(s.size()));
  CHECK(s.substr(b, e - b) == "x");
  CHECK(IsSpaceByte(0x85));      // BuildKit's byte-wise scanners see Latin-1 NEL as a space
  CHECK_FALSE(IsSpace(0x200B));  // zero width space is not a space in Go
}

}  // namespace
}  // namespace dockit::text
