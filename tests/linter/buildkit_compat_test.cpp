// Cases from BuildKit's own lint tests (frontend/dockerfile/dockerfile_lint_test.go) where dlint
// once differed: check settings, ARG scoping across stages and the did-you-mean hints.
#include <catch2/catch.hpp>

#include "linter/engine.hpp"

namespace dockit::lint {
namespace {

std::vector<std::string> Findings(std::string text, LintOptions options = {}) {
  auto result =
      LintDockerfile(std::make_shared<SourceFile>("Dockerfile", std::move(text)), options);
  std::vector<std::string> out;
  for (const Finding& f : result.findings) {
    out.push_back(std::to_string(f.range.begin.line) + " " + std::string(f.rule));
  }
  return out;
}

LintOptions Only(std::initializer_list<const char*> slugs) {
  LintOptions options;
  for (const char* s : slugs) options.only.insert(s);
  return options;
}

TEST_CASE("BUILDKIT_DOCKERFILE_CHECK replaces the check directive", "[linter][buildkit]") {
  const char* text = "#check=skip=all\nFROM scratch as base\ncopy Dockerfile .\n";
  LintOptions options = Only({"from-as-casing", "consistent-instruction-casing"});
  CHECK(Findings(text, options).empty());
  options.analyze.build_args["BUILDKIT_DOCKERFILE_CHECK"] =
      "skip=ConsistentInstructionCasing;error=true";
  CHECK(Findings(text, options) == std::vector<std::string>{"2 from-as-casing"});
  options.analyze.build_args["BUILDKIT_DOCKERFILE_CHECK"] = "skip=all";
  CHECK(Findings("#check=error=true\nFROM scratch as base\ncopy Dockerfile .\n", options).empty());
}

TEST_CASE("check=experimental turns opt-in checks on, even with skip=all", "[linter][buildkit]") {
  const char* text =
      "# check=skip=all;experimental=InvalidDefinitionDescription\n"
      "# a non-descriptive comment\nFROM scratch AS base\n";
  LintOptions options;  // every default rule
  std::vector<std::string> found = Findings(text, options);
  bool has = false;
  for (const std::string& f : found) has |= f.find("invalid-definition-description") != f.npos;
  CHECK(has);
  for (const std::string& f : found) CHECK(f.find("from-as-casing") == std::string::npos);
}

TEST_CASE("a stage built FROM another sees its ARGs", "[linter][buildkit]") {
  CHECK(Findings("FROM alpine AS base\nARG foo=Dockerfile\n\nFROM base\nCOPY $foo .\n",
                 Only({"undefined-var"}))
            .empty());
  CHECK(Findings("FROM alpine AS base\nARG foo=Dockerfile\n\nFROM alpine\nCOPY $foo .\n",
                 Only({"undefined-var"})) == std::vector<std::string>{"5 undefined-var"});
}

TEST_CASE("undefined variables get BuildKit's did-you-mean", "[linter][buildkit]") {
  auto message = [](std::string text) {
    LintOptions options = Only({"undefined-var"});
    auto result =
        LintDockerfile(std::make_shared<SourceFile>("Dockerfile", std::move(text)), options);
    return result.findings.empty() ? std::string() : result.findings[0].message;
  };
  CHECK(
      message("FROM --platform=$BULIDPLATFORM scratch\n").find("(did you mean $BUILDPLATFORM?)") !=
      std::string::npos);
  CHECK(message("FROM alpine\nENV PATH=$PAHT:/tmp/bin\n").find("(did you mean $PATH?)") !=
        std::string::npos);
  CHECK(message("FROM alpine\nARG DIR_ASSETS=x\nCOPY $DIR_ASSET .\n")
            .find("(did you mean $DIR_ASSETS?)") != std::string::npos);
  // Every stage has PATH, scratch included.
  CHECK(message("FROM scratch\nENV PATH \"$PATH:/bin\"\n").empty());
}

TEST_CASE("InvalidDefaultArgInFrom judges the ARG defaults, not --build-arg",
          "[linter][buildkit]") {
  LintOptions options = Only({"invalid-default-arg-in-from"});
  options.analyze.build_args["VERSION"] = "latest";
  CHECK(Findings("ARG VERSION\nFROM busybox:$VERSION\n", options) ==
        std::vector<std::string>{"2 invalid-default-arg-in-from"});
  options.analyze.build_args["SFX"] = "box:latest";
  CHECK(Findings("ARG SFX=\"box:\"\nFROM busy${SFX}\n", options) ==
        std::vector<std::string>{"2 invalid-default-arg-in-from"});
  CHECK(Findings("ARG TAG=1.36\nFROM busybox:${TAG}\n", options).empty());
  options.analyze.build_args["IMAGE"] = "busybox:latest";
  CHECK(Findings("ARG IMAGE\nFROM $IMAGE\n", options) ==
        std::vector<std::string>{"2 invalid-default-arg-in-from"});
}

}  // namespace
}  // namespace dockit::lint
