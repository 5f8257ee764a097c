// The docker command line on the simulated world: output and exit codes as docker's.
#include "sim/docker_cli.hpp"

#include <catch2/catch.hpp>
#include <sstream>

namespace dockit::sim {
namespace {

struct Session {
  World world;
  CliSession cli{world, std::string(DOCKIT_SOURCE_DIR) + "/examples", std::nullopt};
  std::string out, err;

  int Run(std::vector<std::string> argv) {
    std::ostringstream o, e;
    int code = RunDockerCommand(cli, argv, o, e);
    out = o.str();
    err = e.str();
    return code;
  }
};

bool Has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

TEST_CASE("docker run, ps, stop, rm on the simulator", "[sim][cli]") {
  Session s;
  CHECK(s.Run({"run", "-d", "--name", "web", "-p", "8080:80", "nginx"}) == 0);
  CHECK(Has(s.out, "Unable to find image 'nginx:latest' locally"));
  CHECK(s.Run({"ps"}) == 0);
  CHECK(Has(s.out, "0.0.0.0:8080->80/tcp"));
  CHECK(Has(s.out, "web"));
  CHECK(s.Run({"run", "-d", "--name", "web", "nginx"}) == 125);
  CHECK(Has(s.err, "Conflict. The container name \"/web\" is already in use"));
  CHECK(s.Run({"rm", "web"}) == 1);
  CHECK(Has(s.err, "You cannot remove a running container"));
  CHECK(s.Run({"stop", "web"}) == 0);
  CHECK(s.out == "web\n");
  CHECK(s.Run({"rm", "web", "nope"}) == 1);
  CHECK(s.out == "web\n");
  CHECK(Has(s.err, "No such container: nope"));
  CHECK(s.Run({"run", "--rm", "alpine", "echo", "hi", "--rm"}) == 0);
  CHECK(Has(s.out, "hi --rm\n"));
  CHECK(s.Run({"run", "alpine", "nosuchprogram"}) == 127);
  CHECK(Has(s.err, "executable file not found in $PATH"));
}

TEST_CASE("docker flag and usage errors exit 125 and 1", "[sim][cli]") {
  Session s;
  CHECK(s.Run({"ps", "--frobnicate"}) == 125);
  CHECK(s.err == "unknown flag: --frobnicate\nSee 'docker ps --help'.\n");
  CHECK(s.Run({"stop"}) == 1);
  CHECK(Has(s.err, "\"docker stop\" requires at least 1 argument."));
  CHECK(s.Run({"contianer", "ls"}) == 1);
  CHECK(Has(s.err, "docker: unknown command: docker contianer ls"));
  CHECK(s.Run({"container", "ls", "-a"}) == 0);
  CHECK(Has(s.out, "CONTAINER ID"));
}

TEST_CASE("docker build on the simulator records the last build", "[sim][cli]") {
  Session s;
  CHECK(s.Run({"build", "-t", "hello", "hello"}) == 0);
  CHECK(Has(s.err, "naming to docker.io/library/hello:latest done"));
  REQUIRE(s.cli.last_build);
  CHECK(s.cli.last_build->steps.size() > 3);
  CHECK(s.Run({"build", "-t", "hello", "hello"}) == 0);
  CHECK(Has(s.err, "CACHED"));
  CHECK(s.Run({"images"}) == 0);
  CHECK(Has(s.out, "hello "));
  CHECK(s.Run({"history", "--format", "svg", "hello"}) == 0);
  CHECK(s.out.starts_with("<svg "));
  CHECK(s.Run({"build", "-t", "x", "no-such-dir"}) == 1);
  CHECK(Has(s.err, "unable to prepare context"));
  // The build cache survives removing the image, as BuildKit's does.
  CHECK(s.Run({"rmi", "hello"}) == 0);
  CHECK(s.Run({"build", "-t", "hello", "hello"}) == 0);
  CHECK(Has(s.err, "#4 CACHED"));
  CHECK(s.Run({"builder", "prune", "-f"}) == 0);
  CHECK(Has(s.out, "Total reclaimed space:"));
}

}  // namespace
}  // namespace dockit::sim
