#include <algorithm>
#include <catch2/catch.hpp>

#include "linter/engine.hpp"
#include "linter/pragmas.hpp"
#include "parser/dockerfile_parser.hpp"

namespace dockit::lint {
namespace {

// Runs the rules these tests are about, so that new rules do not change their expectations.
LintOptions Focused() {
  LintOptions options;
  options.only = {"add-instead-of-copy", "undefined-var", "syntax-error"};
  return options;
}

std::vector<std::string> Rules(std::string text, LintOptions options = Focused()) {
  auto result =
      LintDockerfile(std::make_shared<SourceFile>("Dockerfile", std::move(text)), options);
  std::vector<std::string> out;
  for (const Finding& f : result.findings) {
    out.push_back(std::to_string(f.range.begin.line) + " " + std::string(f.rule));
  }
  return out;
}

TEST_CASE("ignore pragmas apply to the next instruction only", "[linter][pragmas]") {
  std::string text =
      "FROM alpine\n"
      "# dlint ignore=add-instead-of-copy # vendored tarball, checked by hand\n"
      "ADD a /a\n"
      "# hadolint ignore=DL3020\n"
      "ADD b \\\n  /b\n"
      "ADD c /c\n";
  CHECK(Rules(text) == std::vector<std::string>{"7 add-instead-of-copy"});
  LintOptions no_pragmas = Focused();
  no_pragmas.disable_ignore_pragma = true;
  CHECK(Rules(text, no_pragmas).size() == 3);
}

TEST_CASE("pragmas name ShellCheck codes or the whole rule", "[linter][pragmas]") {
  auto tree = ParseDockerfile(std::make_shared<SourceFile>(
      "Dockerfile",
      "FROM alpine\n# dlint ignore=sc2086,DL3020\nRUN echo $a\n# hadolint ignore=shellcheck\n"
      "RUN echo $b\n"));
  REQUIRE(tree.Ok());
  Suppressions s = ReadSuppressions(**tree);
  CHECK(s.Suppressed("shellcheck", "SC2086", 3));
  CHECK_FALSE(s.Suppressed("shellcheck", "SC2046", 3));
  CHECK(s.Suppressed("add-instead-of-copy", "", 3));
  CHECK(s.Suppressed("shellcheck", "SC2046", 5));
  CHECK_FALSE(s.Suppressed("shellcheck", "SC2086", 7));
}

TEST_CASE("stage pragmas cover the whole stage of the next instruction", "[linter][pragmas]") {
  std::string text =
      "FROM alpine AS build\n"
      "# dlint stage ignore=DL3020\n"
      "ADD a /a\n"
      "ADD b /b\n"
      "FROM alpine\n"
      "ADD c /c\n";
  CHECK(Rules(text) == std::vector<std::string>{"6 add-instead-of-copy"});
  // Written right above a FROM, it covers that stage.
  CHECK(Rules("FROM a\nADD x /x\n# dlint stage ignore=DL3020\nFROM b\nADD y /y\n") ==
        std::vector<std::string>{"2 add-instead-of-copy"});
}

TEST_CASE("global pragmas and BuildKit's check directive", "[linter][pragmas]") {
  CHECK(Rules("FROM alpine\n# dlint global ignore=DL3020\nADD a /a\nADD b /b\n").empty());
  CHECK(Rules("# check=skip=UndefinedVar\nFROM alpine\nWORKDIR $NOPE\n").empty());
  CHECK(Rules("# check=skip=all\nFROM alpine\nWORKDIR $NOPE\nADD a /a\n").empty());
  CHECK(Rules("FROM alpine\nWORKDIR $NOPE\n") == std::vector<std::string>{"2 undefined-var"});
}

TEST_CASE("require-reason: pragmas without a reason suppress nothing and are errors",
          "[linter][pragmas]") {
  std::string text =
      "FROM alpine\n"
      "# dlint ignore=DL3020 # vendored tarball\n"
      "ADD a /a\n"
      "# hadolint ignore=DL3020\n"
      "ADD b /b\n";
  CHECK(Rules(text) == std::vector<std::string>{});
  LintOptions strict = Focused();
  strict.only.insert("ignore-pragma-without-reason");
  strict.require_reason = true;
  CHECK(Rules(text, strict) ==
        std::vector<std::string>{"4 ignore-pragma-without-reason", "5 add-instead-of-copy"});
  // Without --require-reason the opt-in rule stays off even with every other rule on.
  LintOptions all;
  for (const std::string& f : Rules(text, all)) {
    CHECK(f.find("ignore-pragma-without-reason") == std::string::npos);
  }
  LintOptions all_strict;
  all_strict.require_reason = true;
  auto found = Rules(text, all_strict);
  CHECK(std::count(found.begin(), found.end(), "4 ignore-pragma-without-reason") == 1);
}

TEST_CASE("BuildKit's check=experimental= turns opt-in BuildKit checks on", "[linter][pragmas]") {
  std::string body = "# hello\nFROM alpine AS base\n";
  LintOptions options;  // all rules: the directive decides
  auto has = [&](const std::string& text) {
    auto found = Rules(text, options);
    return std::count(found.begin(), found.end(), "3 invalid-definition-description") > 0;
  };
  CHECK_FALSE(has("# syntax=docker/dockerfile:1\n" + body));
  CHECK(has("# check=experimental=InvalidDefinitionDescription\n" + body));
  CHECK(has("# check=error=true;experimental=all\n" + body));
  // BuildKit's linter looks at `experimental` only for experimental checks: `skip` (even
  // skip=all, as in its CopyIgnoredFile test) does not turn an enabled experimental check off.
  CHECK(has("# check=experimental=all;skip=InvalidDefinitionDescription\n" + body));
  CHECK(has("# check=skip=all;experimental=InvalidDefinitionDescription\n" + body));
  // Not an opt-in rule's switch for rules that are on anyway, nor for hadolint's opt-in rules.
  for (const std::string& f : Rules("# check=experimental=all\nFROM alpine\n", options)) {
    CHECK_FALSE(f.ends_with(" no-healthcheck"));
  }
  options.ignored.insert("invalid-definition-description");
  CHECK_FALSE(has("# check=experimental=all\n" + body));
}

TEST_CASE("options turn rules off and change severities", "[linter]") {
  LintOptions options;  // every rule, but one turned off
  options.ignored.insert("undefined-var");
  for (const std::string& finding : Rules("FROM alpine\nWORKDIR $NOPE\n", options)) {
    CHECK(finding.find("undefined-var") == std::string::npos);
  }
  LintOptions severity = Focused();
  severity.severity["add-instead-of-copy"] = Severity::kInfo;
  auto result =
      LintDockerfile(std::make_shared<SourceFile>("Dockerfile", "FROM a\nADD x /x\n"), severity);
  REQUIRE(result.findings.size() == 1);
  CHECK(result.findings[0].severity == Severity::kInfo);
}

TEST_CASE("a file that does not parse is one finding with a position", "[linter]") {
  CHECK(Rules("FROM alpine\nRUN <<EOF\n") == std::vector<std::string>{"2 syntax-error"});
  CHECK(Rules(std::string("FROM a\n\0", 8)) == std::vector<std::string>{"2 syntax-error"});
}

}  // namespace
}  // namespace dockit::lint
