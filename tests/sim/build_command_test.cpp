// `docker build` on the simulator, end to end on the bundled example: progress as BuildKit
// prints it, CACHED on a rebuild, the image and its tags.
#include "sim/build_command.hpp"

#include "sim/world.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace dockit::sim {
namespace {

struct Fixture {
  LayerStore layers;
  TextStore texts;
  plan::BuildRecord record;
  BuildWorld world{layers, texts, record, 1'736'154'000, CatalogueResolver(layers, texts)};
};

BuildRequest Hello() {
  BuildRequest request;
  request.context = std::string(DOCKIT_SOURCE_DIR) + "/examples/hello";
  request.tags = {"hello"};
  return request;
}

TEST_CASE("simulated docker build of the example prints BuildKit's progress", "[sim][build]") {
  Fixture f;
  std::ostringstream first;
  auto built = RunBuild(Hello(), f.world, first);
  if (!built) FAIL(built.Error().message);
  std::string text = first.str();
  CHECK(text.find("#1 [internal] load build definition from Dockerfile\n") == 0);
  CHECK(text.find("#3 [base 1/2] FROM python:3.11-slim\n#3 DONE\n") !=
        std::string::npos);
  CHECK(text.find("#4 [base 2/2] WORKDIR /app\n#4 rebuilding: never built\n") != std::string::npos);
  CHECK(text.find("naming to docker.io/library/hello:latest done\n") != std::string::npos);
  CHECK(built->cached == 0);
  CHECK(built->image.config.user == "app");
  CHECK(built->image.config.exposed_ports == std::vector<std::string>{"8000/tcp"});

  f.world.now += 120;
  std::ostringstream second;
  auto again = RunBuild(Hello(), f.world, second);
  REQUIRE(again);
  CHECK(second.str().find("#4 [base 2/2] WORKDIR /app\n#4 CACHED\n") != std::string::npos);
  CHECK(again->cached == again->steps.size());
  CHECK(ImageId(again->image) != ImageId(built->image));  // a new creation time
  CHECK(again->image.layers.DiffIds() == built->image.layers.DiffIds());
}

TEST_CASE("simulated docker build errors", "[sim][build]") {
  Fixture f;
  std::ostringstream out;
  BuildRequest missing = Hello();
  missing.context = "/nonexistent/ctx";
  auto no_context = RunBuild(missing, f.world, out);
  REQUIRE_FALSE(no_context);
  CHECK(no_context.Error().message ==
        "unable to prepare context: path \"/nonexistent/ctx\" not found");
  BuildRequest bad_target = Hello();
  bad_target.target = "nope";
  REQUIRE_FALSE(RunBuild(bad_target, f.world, out));
}

TEST_CASE("simulated docker build reads the context's dexec.sizes", "[sim][build]") {
  Fixture f;
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("dockit-sizes-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "Dockerfile")
      << "FROM buildpack-deps:bookworm\nRUN curl -fsSLo /opt/a.tgz https://e.com/a.tgz\n"
         "RUN make -C /src install\n";
  std::ofstream(dir / "dexec.sizes")
      << "url https://e.com/a.tgz 12M\ncommand 40M make -C /src install\n";
  BuildRequest request;
  request.context = dir.string();
  std::ostringstream out;
  auto built = RunBuild(request, f.world, out);
  if (!built) FAIL(built.Error().message);
  REQUIRE(built->steps.size() == 3);
  CHECK(built->steps[1].size == 12 * 1024 * 1024);
  CHECK(built->steps[2].size == 40 * 1024 * 1024);
  std::ofstream(dir / "dexec.sizes") << "bogus line\n";
  std::ostringstream again;
  CHECK_FALSE(RunBuild(request, f.world, again));
  fs::remove_all(dir);
}

TEST_CASE("image references are normalized as docker images shows them", "[sim]") {
  CHECK(NormalizeReference("app") == "app:latest");
  CHECK(NormalizeReference("docker.io/library/redis:7") == "redis:7");
  CHECK(NormalizeReference("localhost:5000/team/app") == "localhost:5000/team/app:latest");
  CHECK(NormalizeReference("team/app:v1") == "team/app:v1");
}

}  // namespace
}  // namespace dockit::sim
