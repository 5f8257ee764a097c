// The image config the plan implies, as Docker writes it into the image.
#include "planner/executor.hpp"

#include <catch2/catch.hpp>

#include "parser/dockerfile_parser.hpp"

namespace dockit::plan {
namespace {

Plan MakePlan(const std::string& text) {
  auto tree = ParseDockerfile(std::make_shared<SourceFile>("Dockerfile", text));
  REQUIRE(tree);
  auto plan = BuildPlan(*tree, PlanOptions{});
  if (!plan) FAIL(plan.Error().message);
  return std::move(plan).Value();
}

using Strings = std::vector<std::string>;

TEST_CASE("the target's image config", "[planner][config]") {
  ImageConfig c =
      TargetConfig(MakePlan("FROM scratch AS base\n"
                            "ENV A=1 B=2\n"
                            "LABEL org.opencontainers.image.title=app\n"
                            "FROM base\n"
                            "ENV A=3\n"
                            "WORKDIR /srv\n"
                            "WORKDIR data\n"
                            "USER 10001\n"
                            "EXPOSE 8000 53/udp 8000/tcp\n"
                            "VOLUME /srv/data\n"
                            "HEALTHCHECK CMD curl -f http://127.0.0.1:8000/ || exit 1\n"
                            "STOPSIGNAL SIGINT\n"
                            "CMD [\"serve\"]\n"));
  CHECK(c.env == std::vector<std::pair<std::string, std::string>>{{"A", "3"}, {"B", "2"}});
  CHECK(c.labels.at("org.opencontainers.image.title") == "app");
  CHECK(c.working_dir == "/srv/data");
  CHECK(c.user == "10001");
  CHECK(c.exposed_ports == Strings{"53/udp", "8000/tcp"});
  CHECK(c.volumes == Strings{"/srv/data"});
  REQUIRE(c.healthcheck);
  CHECK(*c.healthcheck == Strings{"CMD-SHELL", "curl -f http://127.0.0.1:8000/ || exit 1"});
  CHECK(c.stop_signal == "SIGINT");
  CHECK(c.cmd == Strings{"serve"});
}

TEST_CASE("ENTRYPOINT resets an inherited CMD but not one of its own stage", "[planner][config]") {
  ImageConfig inherited = TargetConfig(
      MakePlan("FROM scratch AS base\nCMD [\"a\"]\nFROM base\nENTRYPOINT [\"tini\", \"--\"]\n"));
  CHECK(inherited.entrypoint == Strings{"tini", "--"});
  CHECK_FALSE(inherited.cmd_set);
  ImageConfig own = TargetConfig(MakePlan("FROM scratch\nCMD [\"a\"]\nENTRYPOINT [\"tini\"]\n"));
  CHECK(own.cmd == Strings{"a"});
  ImageConfig shell =
      TargetConfig(MakePlan("FROM scratch\nSHELL [\"/bin/bash\", \"-c\"]\nCMD echo hi\n"));
  CHECK(shell.cmd == Strings{"/bin/bash", "-c", "echo hi"});
}

}  // namespace
}  // namespace dockit::plan
