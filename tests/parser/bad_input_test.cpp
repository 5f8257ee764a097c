// Hostile and broken input: every case ends in a tree or a positioned error value, quickly.
#include <catch2/catch.hpp>

#include "parser/dockerfile_parser.hpp"
#include "parser/encoding.hpp"
#include "tests/parser/test_support.hpp"

namespace dockit {
namespace {

std::string RenderFirstProblem(const std::string& text) {
  SourceFile file("Dockerfile", text);
  if (auto bad = CheckEncoding(file)) return Render(file, *bad);
  auto tree = ParseDockerfile(std::make_shared<SourceFile>(file));
  return tree ? std::string() : Render(file, tree.Error());
}

TEST_CASE("a binary file is refused with its position", "[parser][bad-input]") {
  std::string elf(
      "\x7f"
      "ELF\x02\x01\x01\0\0\0",
      10);
  CHECK(RenderFirstProblem(elf).rfind("Dockerfile:1:8: error: file contains a NUL byte", 0) == 0);
}

TEST_CASE("NUL bytes and invalid UTF-8 are positioned", "[parser][bad-input]") {
  CHECK(RenderFirstProblem(std::string("FROM a\nRUN x\0y\n", 15))
            .rfind("Dockerfile:2:6: error: file contains a NUL byte", 0) == 0);
  CHECK(RenderFirstProblem("FROM a\nLABEL k=\xff\n") ==
        "Dockerfile:2:9: error: invalid UTF-8: unexpected byte 0xff\nLABEL k=?\n        ^\n");
  CHECK(RenderFirstProblem(std::string("\xff\xfe"
                                       "F\0R\0",
                                       6))
            .find("UTF-16") != std::string::npos);
  // The parser itself still accepts it, as BuildKit does (invalid bytes become U+FFFD in words).
  auto tree = testing::Parse("FROM a\nARG k=\xff\n");
  REQUIRE(tree.Ok());
  CHECK(DumpBuildkit(**tree) == "(from \"a\")\n(arg \"k=\xEF\xBF\xBD\")\n");
}

TEST_CASE("a heredoc that never ends", "[parser][bad-input]") {
  std::string text = "FROM a\nRUN <<EOF\n";
  for (int i = 0; i < 100000; ++i) text += "echo line\n";
  CHECK(RenderFirstProblem(text).rfind("Dockerfile:2:5: error: unterminated heredoc", 0) == 0);
}

TEST_CASE("unbalanced JSON falls back to shell form as in BuildKit", "[parser][bad-input]") {
  auto tree = testing::MustParse("FROM a\nCMD [\"a\", \"b\"\nCOPY [\"x\" /y\n");
  CHECK(DumpBuildkit(*tree) ==
        "(from \"a\")\n(cmd \"[\\\"a\\\", \\\"b\\\"\")\n(copy \"[\\\"x\\\"\" \"/y\")\n");
  CHECK_FALSE(tree->instructions[1].json_form);
  // Deep nesting cannot exhaust the stack: it is simply not valid JSON for BuildKit's limit.
  std::string deep = "FROM a\nCMD " + std::string(200000, '[') + "\n";
  CHECK(RenderFirstProblem(deep).rfind("Dockerfile:2:1: error: line is", 0) == 0);
  std::string nested = "FROM a\nCMD [" + std::string(20000, '[') + std::string(20000, ']') + "]\n";
  auto t2 = testing::Parse(nested);
  REQUIRE(t2.Ok());
  CHECK_FALSE((*t2)->instructions[1].json_form);  // over encoding/json's 10000 levels
}

TEST_CASE("a 10,000-deep continuation is one instruction", "[parser][bad-input]") {
  std::string text = "FROM a\nRUN echo \\\n";
  for (int i = 0; i < 10000; ++i) text += " a \\\n";
  text += " end\n";
  auto tree = testing::MustParse(text);
  REQUIRE(tree->instructions.size() == 2);
  CHECK(tree->instructions[1].range.end.line == 10003);
  CHECK(tree->instructions[1].args[0].value.size() == 5 + 10000 * 3 + 4);
}

TEST_CASE("100 MB inputs", "[parser][bad-input][large]") {
  SECTION("one 100 MB line is refused at once") {
    std::string text = "RUN " + std::string(100u << 20, 'a');
    CHECK(RenderFirstProblem(text).rfind(
              "Dockerfile:1:1: error: line is 104857604 bytes long, more than the 65535", 0) == 0);
  }
  SECTION("100 MB of instructions parse") {
    std::string unit = "RUN echo hello \\\n    && echo world\n";
    std::string text = "FROM a\n";
    text.reserve(100u << 20);
    while (text.size() < (100u << 20)) text += unit;
    auto tree = testing::MustParse(text);
    CHECK(tree->instructions.size() == 1 + (text.size() - 7) / unit.size());
  }
}

}  // namespace
}  // namespace dockit
