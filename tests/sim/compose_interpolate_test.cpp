#include "sim/compose_interpolate.hpp"

#include <catch2/catch.hpp>
#include <map>

namespace dockit::sim {
namespace {

EnvLookup From(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::string I(std::string_view text) {
  auto r = Interpolate(text, From({{"TAG", "1.2"}, {"EMPTY", ""}, {"NAME", "web"}}));
  if (!r) FAIL(r.Error().message);
  return r->value;
}

TEST_CASE("interpolation: values, defaults, alternatives, escapes", "[sim][compose]") {
  CHECK(I("app:${TAG}") == "app:1.2");
  CHECK(I("app:$TAG-x") == "app:1.2-x");
  CHECK(I("${MISSING}") == "");
  CHECK(I("${MISSING:-3.0}") == "3.0");
  CHECK(I("${EMPTY:-dflt}") == "dflt");
  CHECK(I("${EMPTY-dflt}") == "");
  CHECK(I("${MISSING-dflt}") == "dflt");
  CHECK(I("${TAG:+set}") == "set");
  CHECK(I("${EMPTY:+set}") == "");
  CHECK(I("${EMPTY+set}") == "set");
  CHECK(I("${MISSING:-${NAME}-x}") == "web-x");
  CHECK(I("$$HOME and $${TAG}") == "$HOME and ${TAG}");
  CHECK(I("no dollars") == "no dollars");
}

TEST_CASE("interpolation: unset variables are reported", "[sim][compose]") {
  auto r = Interpolate("${A}-${B:-x}-$C", From({}));
  REQUIRE(r);
  CHECK(r->value == "-x-");
  CHECK(r->unset == std::vector<std::string>{"A", "C"});
}

TEST_CASE("interpolation: errors and their offsets", "[sim][compose]") {
  auto lookup = From({{"EMPTY", ""}});
  auto r = Interpolate("x ${DB_PASSWORD:?set it in .env}", lookup);
  REQUIRE_FALSE(r);
  CHECK(r.Error().message == "required variable DB_PASSWORD is missing a value: set it in .env");
  CHECK(r.Error().range.begin.offset == 2);
  r = Interpolate("${EMPTY?}", lookup);
  CHECK(r);
  r = Interpolate("${EMPTY:?}", lookup);
  REQUIRE_FALSE(r);
  CHECK(r.Error().message == "required variable EMPTY is missing a value");
  r = Interpolate("echo ${1}", lookup);
  REQUIRE_FALSE(r);
  CHECK(r.Error().range.begin.offset == 5);
  CHECK(r.Error().message.starts_with("invalid interpolation format"));
  CHECK(Interpolate("echo $1 $(date) 5$", lookup)->value == "echo $1 $(date) 5$");
  CHECK_FALSE(Interpolate("${unclosed", lookup));
  CHECK_FALSE(Interpolate("${}", lookup));
  CHECK_FALSE(Interpolate("${A:x}", lookup));
}

TEST_CASE("env files: KEY=VALUE lines, comments, quotes, export", "[sim][compose]") {
  SourceFile file(".env",
                  "# settings\n"
                  "\n"
                  "TAG=1.2\n"
                  "export MODE = prod  # trailing comment\n"
                  "QUOTED=\"a #b ${TAG}\\n\"\n"
                  "SINGLE='${TAG} stays'\n"
                  "REF=${TAG}-x\n"
                  "PASS\n"
                  "ABSENT\n"
                  "EMPTY=\n");
  auto vars = ParseEnvFile(file, From({{"PASS", "from-shell"}}));
  if (!vars) FAIL(vars.Error().message);
  using P = std::pair<std::string, std::string>;
  CHECK(*vars == std::vector<P>{{"TAG", "1.2"},
                                {"MODE", "prod"},
                                {"QUOTED", "a #b 1.2\n"},
                                {"SINGLE", "${TAG} stays"},
                                {"REF", "1.2-x"},
                                {"PASS", "from-shell"},
                                {"EMPTY", ""}});
}

TEST_CASE("env files: errors at line and column", "[sim][compose]") {
  SourceFile bad_key("web.env", "OK=1\n  BAD KEY=2\n");
  auto r = ParseEnvFile(bad_key, From({}));
  REQUIRE_FALSE(r);
  CHECK(r.Error().range.begin.line == 2);
  CHECK(r.Error().range.begin.column == 7);
  SourceFile quote("web.env", "A=1\nB=\"open\n");
  r = ParseEnvFile(quote, From({}));
  REQUIRE_FALSE(r);
  CHECK(r.Error().range.begin.line == 2);
  CHECK(r.Error().range.begin.column == 3);
  SourceFile required("web.env", "A=${NOPE:?needed}\n");
  r = ParseEnvFile(required, From({}));
  REQUIRE_FALSE(r);
  CHECK(r.Error().message == "required variable NOPE is missing a value: needed");
  CHECK(r.Error().range.begin.column == 3);
}

}  // namespace
}  // namespace dockit::sim
