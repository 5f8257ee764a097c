// apk add: parsed, never estimated (no Alpine package data; planner/apk_catalogue.hpp).
#include "planner/apk_catalogue.hpp"

#include <catch2/catch.hpp>

#include "parser/dockerfile_parser.hpp"
#include "planner/run_size.hpp"

namespace dockit::plan {
namespace {

TEST_CASE("apk add commands", "[planner][apk]") {
  auto file = std::make_shared<SourceFile>("Dockerfile",
                                           "FROM alpine:3.20\nRUN apk add --no-cache --virtual "
                                           ".build-deps gcc musl-dev && apk update\n");
  auto tree = ParseDockerfile(file);
  REQUIRE(tree);
  ShellScript script = ShellOf((*tree)->instructions[1], *file);
  auto add = ParseApkAdd(Unwrap(script.Commands()[0]));
  REQUIRE(add);
  CHECK(add->packages == std::vector<std::string>{"gcc", "musl-dev"});
  CHECK(add->no_cache);
  CHECK_FALSE(add->update);
  CHECK(add->virtual_name == ".build-deps");
  CHECK_FALSE(ParseApkAdd(Unwrap(script.Commands()[1])));
  // No Alpine data: no estimate, and the RUN's size stays unknown.
  CHECK_FALSE(ApkAdd({"curl"}));
  RunSizeContext context;
  context.base = "alpine:3.20";
  CHECK_FALSE(PackageRunSize(script, context));
}

TEST_CASE("which images are Alpine", "[planner][apk]") {
  CHECK(IsAlpine("alpine"));
  CHECK(IsAlpine("alpine:3.20"));
  CHECK(IsAlpine("docker.io/library/alpine@sha256:abc"));
  CHECK_FALSE(IsAlpine("node:20-alpine"));
  CHECK_FALSE(IsAlpine("debian:12"));
}

}  // namespace
}  // namespace dockit::plan
