#include "parser/json_array.hpp"

#include <catch2/catch.hpp>

namespace dockit {
namespace {

JsonArray Parse(std::string_view s) {
  return ParseJsonArray(s, 0, static_cast<uint32_t>(s.size()));
}

TEST_CASE("exec form: a JSON array of strings, as encoding/json reads it", "[json]") {
  JsonArray a = Parse(R"(  ["a", "b\u00e9\n", "\ud83d\udc33", "\/"] )");
  REQUIRE(a.status == JsonArrayStatus::kOk);
  REQUIRE(a.elements.size() == 4);
  CHECK(a.elements[0].value == "a");
  CHECK(a.elements[0].begin == 3);
  CHECK(a.elements[0].end == 6);
  CHECK(a.elements[1].value == "b\xc3\xa9\n");
  CHECK(a.elements[2].value == "\xf0\x9f\x90\xb3");
  CHECK(a.elements[3].value == "/");
  CHECK(Parse("[]").status == JsonArrayStatus::kOk);
}

TEST_CASE("lone surrogates and invalid UTF-8 become U+FFFD", "[json]") {
  JsonArray a = Parse("[\"\\ud800x\", \"\xff\"]");
  REQUIRE(a.status == JsonArrayStatus::kOk);
  CHECK(a.elements[0].value == "\xef\xbf\xbdx");
  CHECK(a.elements[1].value == "\xef\xbf\xbd");
}

TEST_CASE("not JSON: BuildKit falls back to the shell form", "[json]") {
  for (std::string_view bad : {"['a']", "[\"a\",]", "[\"a\"] x", "[\"a\"", "[01]", "[\"\t\"]",
                               "[\"\\x\"]", "[tru]", "{}", "[\"a\" \"b\"]", "[1.]", "[-]"}) {
    INFO(bad);
    CHECK(Parse(bad).status == JsonArrayStatus::kNotJson);
  }
}

TEST_CASE("valid JSON with a non-string element is BuildKit's error", "[json]") {
  for (std::string_view bad : {"[1]", "[\"a\", [\"b\"]]", "[null]", "[{\"k\": 1}]", "[-1.5e+3]"}) {
    INFO(bad);
    CHECK(Parse(bad).status == JsonArrayStatus::kNotStrings);
  }
  CHECK(Parse("[\"a\", true]").bad_element == 6);
}

TEST_CASE("nesting is limited like encoding/json, without recursion", "[json]") {
  std::string ok = "[" + std::string(9998, '[') + std::string(9998, ']') + "]";
  CHECK(Parse(ok).status == JsonArrayStatus::kNotStrings);
  std::string deep = "[" + std::string(10000, '[') + std::string(10000, ']') + "]";
  CHECK(Parse(deep).status == JsonArrayStatus::kNotJson);
}

}  // namespace
}  // namespace dockit
