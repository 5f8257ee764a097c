// The Debian 12 package catalogue behind RUN size estimates for apt-get installs.
#include "planner/apt_catalogue.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "parser/dockerfile_parser.hpp"
#include "planner/predict.hpp"
#include "planner/run_size.hpp"

namespace dockit::plan {
namespace {

TEST_CASE("apt-get install sizes from the catalogue", "[planner][apt]") {
  auto curl = AptInstallSize({"curl"}, false);
  auto curl_rec = AptInstallSize({"curl"}, true);
  auto git = AptInstallSize({"git"}, false);
  auto both = AptInstallSize({"curl", "git=1:2.39.5-0+deb12u2"}, false);
  REQUIRE(curl);
  REQUIRE(curl_rec);
  REQUIRE(git);
  REQUIRE(both);
  // curl with its libraries is a few MB; recommends (ca-certificates, openssl, ...) add more.
  CHECK(curl->bytes > 1'000'000);
  CHECK(curl->bytes < 20'000'000);
  CHECK(curl->packages > 5);
  CHECK(curl_rec->bytes > curl->bytes);
  // curl and git share libraries: the union is less than the sum.
  CHECK(both->bytes < curl->bytes + git->bytes);
  CHECK(both->bytes > git->bytes);
  CHECK_FALSE(AptInstallSize({"curl", "no-such-package-xyz"}, false));
  // The per-package list sums to the total.
  auto list = AptInstall({"curl", "git"}, false);
  REQUIRE(list);
  CHECK(list->Bytes() == both->bytes);
  CHECK(list->packages.size() == both->packages);
  CHECK(std::is_sorted(list->packages.begin(), list->packages.end(),
                       [](const auto& a, const auto& b) { return a.name < b.name; }));
  CHECK_FALSE(AptInstall({"no-such-package-xyz"}, true));
}

TEST_CASE("which images the catalogue describes", "[planner][apt]") {
  for (const char* yes : {"debian:12", "debian:12-slim", "debian:bookworm", "debian:12.8-slim",
                          "docker.io/library/debian:bookworm-slim", "debian:12@sha256:abc"}) {
    INFO(yes);
    CHECK(IsDebianBookworm(yes));
  }
  for (const char* no : {"debian:11", "debian", "ubuntu:22.04", "python:3.12-slim", "debian:120"}) {
    INFO(no);
    CHECK_FALSE(IsDebianBookworm(no));
  }
}

std::optional<RunSize> Apt(const std::string& run) {
  auto file = std::make_shared<SourceFile>("Dockerfile", "FROM debian:12\n" + run + "\n");
  auto tree = ParseDockerfile(file);
  REQUIRE(tree);
  return AptRunSize(ShellOf((*tree)->instructions[1], *file));
}

TEST_CASE("RUNs the catalogue can size", "[planner][apt]") {
  auto ok =
      Apt("RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf "
          "/var/lib/apt/lists/*");
  REQUIRE(ok);
  CHECK(ok->bytes == AptInstallSize({"curl"}, false)->bytes);
  CHECK(ok->how.find("Debian 12 packages") != std::string::npos);
  // The package index stays in the layer: its size is not known.
  CHECK_FALSE(Apt("RUN apt-get update && apt-get install -y curl"));
  // Removed before the update: the index written after it stays.
  CHECK_FALSE(Apt("RUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y curl"));
  // Something else runs too, or a package is not in the catalogue.
  CHECK_FALSE(Apt("RUN apt-get install -y curl && make install"));
  CHECK_FALSE(Apt("RUN apt-get install -y curl some-obscure-package-xyz"));
  CHECK_FALSE(Apt("RUN apt-get install -y $PACKAGES"));
  CHECK(Apt("RUN apt-get install -y curl"));  // no update: no index written in this layer
}

TEST_CASE("dexec plan sizes apt RUNs on debian:bookworm only", "[planner][apt]") {
  auto plan_of = [](const std::string& text) {
    auto tree = ParseDockerfile(std::make_shared<SourceFile>("Dockerfile", text));
    REQUIRE(tree);
    auto plan = BuildPlan(*tree, PlanOptions{});
    REQUIRE(plan);
    return std::move(plan).Value();
  };
  const char* run =
      "RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf "
      "/var/lib/apt/lists/*\n";
  Plan debian = plan_of(std::string("FROM debian:12-slim AS base\nFROM base\n") + run);
  Prediction p = Predict(debian, BuildRecord(), PredictOptions{});
  CHECK(p.steps.back().size == AptInstallSize({"curl"}, false)->bytes);
  CHECK(p.steps.back().size_source.starts_with("catalogue: "));
  Plan ubuntu = plan_of(std::string("FROM ubuntu:22.04\n") + run);
  CHECK_FALSE(Predict(ubuntu, BuildRecord(), PredictOptions{}).steps.back().size);
}

}  // namespace
}  // namespace dockit::plan
