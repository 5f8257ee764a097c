#include "sim/generated_context.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "parser/dockerfile_parser.hpp"

namespace dockit::sim {
namespace {

namespace fs = std::filesystem;

TEST_CASE("a generated context has every source the COPYs name", "[sim]") {
  fs::path dir = fs::temp_directory_path() / ("dockit-genctx-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto tree = ParseDockerfile(std::make_shared<SourceFile>("Dockerfile",
                                                           "ARG APP=web\n"
                                                           "FROM alpine AS build\n"
                                                           "ARG APP\n"
                                                           "COPY requirements*.txt ./\n"
                                                           "COPY src/ /src/\n"
                                                           "COPY $APP/main.go config.yaml /build/\n"
                                                           "COPY --from=build /x /y\n"
                                                           "ADD https://example.com/a.tgz /tmp/\n"
                                                           "COPY ../outside /z\n"
                                                           "COPY <<EOF /etc/motd\nhi\nEOF\n"));
  REQUIRE(tree);
  auto written = GenerateContext(AnalyzeDockerfile(*tree), dir.string());
  REQUIRE(written);
  CHECK(fs::is_regular_file(dir / "requirementsx.txt"));
  CHECK(fs::is_regular_file(dir / "src/generated.txt"));
  CHECK(fs::is_regular_file(dir / "web/main.go"));
  CHECK(fs::is_regular_file(dir / "config.yaml"));
  CHECK_FALSE(fs::exists(dir / "x"));
  CHECK_FALSE(fs::exists(dir.parent_path() / "outside"));
  CHECK(*written == 5);
  // Nothing is overwritten on a second run.
  auto again = GenerateContext(AnalyzeDockerfile(*tree), dir.string());
  REQUIRE(again);
  CHECK(*again == 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dockit::sim
