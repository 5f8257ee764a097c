// Declared sizes of downloads and commands (planner/declared_sizes.hpp).
#include "planner/declared_sizes.hpp"

#include <catch2/catch.hpp>

#include "parser/dockerfile_parser.hpp"
#include "planner/run_size.hpp"

namespace dockit::plan {
namespace {

Result<DeclaredSizes> Parse(const std::string& text) {
  return ParseDeclaredSizes(SourceFile("dexec.sizes", text));
}

TEST_CASE("declared sizes files", "[planner][declared]") {
  auto ok = Parse(
      "# downloads\n"
      "url https://example.com/app.tar.gz 12M  # the release\n"
      "url https://example.com/page#frag 1\n"
      "\n"
      "  command 40KB make   -C /src install\n");
  REQUIRE(ok);
  CHECK(ok->Url("https://example.com/app.tar.gz") == 12u * 1024 * 1024);
  CHECK_FALSE(ok->Url("https://example.com/other"));
  CHECK(ok->Url("https://example.com/page#frag") == 1u);
  CHECK(ok->Command({"make", "-C", "/src", "install"}) == 40000u);
  CHECK_FALSE(ok->Command({"make"}));
}

TEST_CASE("declared sizes errors have positions", "[planner][declared]") {
  struct Case {
    const char* text;
    const char* code;
    uint32_t line, column;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"url https://x/a 12Q\n", "bad-size", 1, 17},
           {"# c\nfile x 1\n", "unknown-declaration", 2, 1},
           {"url\n", "missing-url", 1, 1},
           {"url https://x/a\n", "bad-size", 1, 16},
           {"url https://x/a 1 extra\n", "trailing-text", 1, 19},
           {"command 10\n", "missing-command", 1, 11},
           {"command big make\n", "bad-size", 1, 9},
           {"url https://x/a 1\n  url https://x/a 2\n", "duplicate-declaration", 2, 7},
       }) {
    INFO(c.text);
    auto r = Parse(c.text);
    REQUIRE_FALSE(r);
    CHECK(r.Error().code == c.code);
    CHECK(r.Error().range.begin.line == c.line);
    CHECK(r.Error().range.begin.column == c.column);
  }
}

std::optional<RunSize> Run(const std::string& run, const DeclaredSizes& declared) {
  auto file = std::make_shared<SourceFile>("Dockerfile", "FROM debian:12\nWORKDIR /opt\n" + run);
  auto tree = ParseDockerfile(file);
  REQUIRE(tree);
  RunSizeContext context;
  context.base = "debian:12";
  context.workdir = "/opt";
  context.declared = &declared;
  return PackageRunSize(ShellOf((*tree)->instructions[2], *file), context);
}

TEST_CASE("downloads and commands with declared sizes", "[planner][declared]") {
  auto declared = Parse(
      "url https://example.com/app.tar.gz 12M\n"
      "url https://example.com/tool 1000\n"
      "command 5M make install\n");
  REQUIRE(declared);
  const uint64_t app = 12u * 1024 * 1024;
  for (const char* run :
       {"RUN curl -fsSL -o app.tar.gz https://example.com/app.tar.gz",
        "RUN curl -fsSL https://example.com/app.tar.gz -o /opt/app.tar.gz",
        "RUN curl -O https://example.com/app.tar.gz", "RUN wget https://example.com/app.tar.gz",
        "RUN wget -q -O /tmp/a.tgz https://example.com/app.tar.gz"}) {
    INFO(run);
    auto size = Run(run, *declared);
    REQUIRE(size);
    CHECK(size->bytes == app);
    CHECK(size->source == "declared");
  }
  // Removed in the same RUN: nothing stays.
  auto removed = Run(
      "RUN wget -O /tmp/app.tgz https://example.com/app.tar.gz && tar -C / -xzf /tmp/app.tgz && "
      "rm /tmp/app.tgz",
      *declared);
  CHECK_FALSE(removed);  // tar's output is unknown
  auto gone = Run("RUN curl -o /tmp/t https://example.com/tool && rm -f /tmp/t", *declared);
  REQUIRE(gone);
  CHECK(gone->bytes == 0);
  CHECK(Run("RUN curl -o t https://example.com/tool && make install", *declared)->bytes ==
        1000 + 5 * 1024 * 1024);
  // The command as written, wrappers included, words as the shell splits them.
  CHECK(Run("RUN make  'install'", *declared)->bytes == 5 * 1024 * 1024);
  CHECK_FALSE(Run("RUN sudo make install", *declared));
  // Piped into another program, or not declared: unknown.
  CHECK_FALSE(Run("RUN curl -fsSL https://example.com/app.tar.gz | tar -xz", *declared));
  CHECK_FALSE(Run("RUN curl -fsSL https://example.com/install.sh | sh", *declared));
  CHECK_FALSE(Run("RUN curl -o x https://example.com/undeclared", *declared));
  CHECK_FALSE(Run("RUN make", *declared));
  CHECK_FALSE(Run("RUN curl -J -O https://example.com/app.tar.gz", *declared));  // unknown option
  // To stdout (the build log): nothing written.
  CHECK(Run("RUN curl -fsS https://example.com/tool && make install", *declared)->bytes ==
        5 * 1024 * 1024);
}

}  // namespace
}  // namespace dockit::plan
