// Positions in SourceFile: byte columns for people, UTF-16 columns for LSP and SARIF.
#include "parser/source.hpp"

#include <catch2/catch.hpp>

namespace dockit {
namespace {

TEST_CASE("Utf16Column counts UTF-16 code units from the line start", "[source]") {
  // "é" is 2 bytes and 1 unit; "€" 3 bytes and 1 unit; "😀" 4 bytes and 2 units (a pair).
  SourceFile file("Dockerfile", "FROM x\nLABEL a=\"é€😀\" b=1\n");
  const std::string& text = file.Text();
  uint32_t b = static_cast<uint32_t>(text.find("b=1"));
  SourcePos pos = file.PosAt(b);
  CHECK(pos.line == 2);
  CHECK(pos.column == 21);             // 9 + 2 + 3 + 4 + 2 bytes before it, 1-based
  CHECK(file.Utf16Column(pos) == 16);  // 9 + 1 + 1 + 2 + 2 units
  CHECK(file.Utf16Column(file.PosAt(0)) == 1);
  CHECK(file.Utf16Column(file.PosAt(7)) == 1);  // start of line 2
}

TEST_CASE("Utf16Column counts each byte of invalid UTF-8 as one unit", "[source]") {
  SourceFile file("Dockerfile", std::string("RUN \xff\xc3 x\n"));
  CHECK(file.Utf16Column(file.PosAt(7)) == 8);
  SourceFile truncated("Dockerfile", std::string("RUN \xf0\x9f"));
  CHECK(truncated.Utf16Column(truncated.PosAt(6)) == 7);
}

}  // namespace
}  // namespace dockit
