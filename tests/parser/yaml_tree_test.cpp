// The YAML tree: exact ranges, plain versus quoted scalars, merge keys, errors as values.
#include <catch2/catch.hpp>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "parser/yaml_tree.hpp"
#include "tests/parser/test_support.hpp"

namespace dockit {
namespace {

struct Parsed {
  std::shared_ptr<SourceFile> file;
  YamlNode root;
};

Parsed MustParse(std::string text) {
  auto file = std::make_shared<SourceFile>("compose.yaml", std::move(text));
  auto root = ParseYaml(*file);
  if (!root) throw std::runtime_error(Render(*file, root.Error()));
  return {file, std::move(root).Value()};
}

std::string ErrorOf(std::string text) {
  SourceFile file("compose.yaml", std::move(text));
  auto root = ParseYaml(file);
  return root ? std::string() : Render(file, root.Error());
}

std::string Text(const Parsed& p, const YamlNode& n) {
  return p.file->Text().substr(n.range.begin.offset, n.range.end.offset - n.range.begin.offset);
}

std::string Pos(const YamlNode& n) {
  return std::to_string(n.range.begin.line) + ":" + std::to_string(n.range.begin.column);
}

TEST_CASE("scalars keep their exact text and whether they were quoted", "[yaml]") {
  Parsed p = MustParse(
      "ports:\n  - 22:22\n  - \"22:22\"\n  - '22:22'\n  - !!str 22:22\n  - &p 80:80  # c\n");
  const YamlNode* ports = p.root.Find("ports");
  REQUIRE(ports);
  REQUIRE(ports->items.size() == 5);
  CHECK(ports->items[0].plain);
  CHECK(Text(p, ports->items[0]) == "22:22");
  CHECK(Pos(ports->items[0]) == "2:5");
  CHECK_FALSE(ports->items[1].plain);
  CHECK(Text(p, ports->items[1]) == "\"22:22\"");
  CHECK_FALSE(ports->items[2].plain);
  CHECK(Text(p, ports->items[2]) == "'22:22'");
  // An explicit tag is not plain: its type is given.
  CHECK_FALSE(ports->items[3].plain);
  CHECK(Text(p, ports->items[3]) == "22:22");
  CHECK(ports->items[4].plain);
  CHECK(Text(p, ports->items[4]) == "80:80");
  CHECK(Pos(*ports) == "2:3");
}

TEST_CASE("keys, flow collections, block scalars and null values have ranges", "[yaml]") {
  Parsed p = MustParse(
      "a: [x, \"y\", {k: v}]\nb: |\n  line 1\n\n  line 2\nc:\nd: ~\ne: plain text # note\n");
  const YamlEntry* a = p.root.FindEntry("a");
  REQUIRE(a);
  CHECK(Text(p, a->key) == "a");
  CHECK(Text(p, a->value) == "[x, \"y\", {k: v}]");
  CHECK(Text(p, a->value.items[2].entries[0].value) == "v");
  CHECK(Text(p, *p.root.Find("b")) == "|\n  line 1\n\n  line 2");
  CHECK(p.root.Find("b")->value == "line 1\n\nline 2\n");
  CHECK(p.root.Find("c")->IsNull());
  CHECK(Pos(*p.root.Find("c")) == "6:2");
  CHECK(p.root.Find("d")->IsNull());
  CHECK(Text(p, *p.root.Find("e")) == "plain text");
}

TEST_CASE("positions count bytes and survive a byte order mark and CRLF", "[yaml]") {
  Parsed p = MustParse("\xEF\xBB\xBFk\xC3\xA9: \"\xC3\xBC\"\r\nnext: 1\r\n");
  CHECK(Pos(p.root.entries[0].key) == "1:4");
  CHECK(Pos(p.root.entries[0].value) == "1:9");
  CHECK(Pos(*p.root.Find("next")) == "2:7");
}

TEST_CASE("merge keys are resolved; written keys win", "[yaml]") {
  Parsed p = MustParse(
      "x-base: &base\n  image: a\n  restart: always\nservices:\n  web:\n    <<: *base\n"
      "    image: b\n");
  const YamlNode* web = p.root.Find("services")->Find("web");
  REQUIRE(web);
  REQUIRE(web->entries.size() == 2);
  CHECK(web->Find("image")->value == "b");
  CHECK_FALSE(web->entries[0].merged);
  CHECK(web->Find("restart")->value == "always");
  CHECK(web->entries[1].merged);
  CHECK(Pos(*web->Find("restart")) == "3:12");  // where the anchored text is
  CHECK(web->FindEntry("<<") == nullptr);
}

TEST_CASE("YAML errors are values with a position", "[yaml]") {
  CHECK(ErrorOf("a:\n  b: 1\n c: 2\n") ==
        "compose.yaml:3:2: error: end of map not found\n c: 2\n ^\n");
  CHECK(ErrorOf("a: [1, 2\nb: 3\n") ==
        "compose.yaml:2:2: error: end of sequence flow not found\nb: 3\n ^\n");
  CHECK(ErrorOf("a: 1\na: 2\n") ==
        "compose.yaml:2:1: error: mapping key \"a\" already defined at line 1\na: 2\n^\n");
  // A cyclic alias builds a cyclic graph in yaml-cpp; it is refused, not followed forever.
  CHECK(ErrorOf("a: &x [*x]\n").find("nesting too deep") != std::string::npos);
  CHECK(ErrorOf("a: " + std::string(5000, '[') + std::string(5000, ']') + "\n")
            .find("nesting too deep") != std::string::npos);
  std::string laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    laughs += std::string(1, c) + ": &" + std::string(1, c) + " [";
    for (int i = 0; i < 10; ++i) laughs += std::string(i ? ", " : "") + "*" + char(c - 1);
    laughs += "]\n";
  }
  CHECK(ErrorOf(laughs).find("a million nodes") != std::string::npos);
}

TEST_CASE("every real compose file parses", "[yaml][corpus]") {
  auto dir = testing::SharedDir() / "corpus/real/compose";
  if (!std::filesystem::exists(dir)) return;
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    INFO(entry.path());
    SourceFile file(entry.path().string(), testing::ReadFile(entry.path()));
    auto root = ParseYaml(file);
    CHECK(root.Ok());
    ++files;
  }
  CHECK(files > 100);
}

}  // namespace
}  // namespace dockit
