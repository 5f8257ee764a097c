// docker compose on the simulator: start order and health waits, names, run --rm, down -v, and
// errors with their file position.
#include "sim/compose_cli.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace dockit::sim {
namespace {

namespace fs = std::filesystem;

struct Project {
  fs::path parent = fs::temp_directory_path() / ("dockit-compose-cli-" + std::to_string(getpid()));
  fs::path dir = parent / "shop";
  World world;
  CliSession session{world, dir.string(), std::nullopt};
  std::string out, err;

  explicit Project(const std::string& compose) {
    fs::remove_all(parent);
    fs::create_directories(dir);
    std::ofstream(dir / "compose.yaml") << compose;
  }
  ~Project() { fs::remove_all(parent); }

  int Run(std::vector<std::string> argv) {
    std::ostringstream o, e;
    int code = RunComposeCommand(session, argv, o, e);
    out = o.str();
    err = e.str();
    return code;
  }
};

const char* kShop =
    "services:\n"
    "  web:\n"
    "    image: nginx\n"
    "    ports: [\"8080:80\"]\n"
    "    depends_on:\n"
    "      cache: {condition: service_healthy}\n"
    "  cache:\n"
    "    image: redis:7\n"
    "    healthcheck: {test: [\"CMD\", \"redis-cli\", \"ping\"], interval: 2s}\n"
    "    volumes: [data:/data]\n"
    "volumes:\n"
    "  data:\n";

TEST_CASE("compose up starts dependencies first and waits for their health", "[sim][compose]") {
  Project p(kShop);
  REQUIRE(p.Run({"up", "-d"}) == 0);
  size_t network = p.out.find("Network shop_default  Created");
  size_t cache = p.out.find("Container shop-cache-1  Healthy");
  size_t web = p.out.find("Container shop-web-1  Started");
  CHECK(network != std::string::npos);
  CHECK(cache != std::string::npos);
  CHECK(web != std::string::npos);
  CHECK(network < cache);
  CHECK(cache < web);
  CHECK(p.world.Request("localhost:8080").Ok());
  REQUIRE(p.Run({"ps"}) == 0);
  CHECK(p.out.find("shop-web-1") != std::string::npos);
  CHECK(p.out.find("(healthy)") != std::string::npos);
  // Up again: nothing new.
  REQUIRE(p.Run({"up", "-d"}) == 0);
  CHECK(p.out.find("Container shop-web-1  Running") != std::string::npos);

  REQUIRE(p.Run({"run", "--rm", "web", "echo", "one-off"}) == 0);
  CHECK(p.out.find("one-off") != std::string::npos);
  size_t containers = p.world.Containers().size();
  CHECK(containers == 2);  // --rm removed the one-off container

  REQUIRE(p.Run({"down", "-v"}) == 0);
  CHECK(p.out.find("Container shop-web-1  Removed") <
        p.out.find("Container shop-cache-1  Removed"));
  CHECK(p.out.find("Volume shop_data  Removed") != std::string::npos);
  CHECK(p.world.Containers().empty());
  CHECK_FALSE(p.world.Volumes().count("shop_data"));
}

TEST_CASE("compose errors", "[sim][compose]") {
  Project cycle(
      "services:\n  a:\n    image: alpine\n    depends_on: [b]\n  b:\n    image: alpine\n"
      "    depends_on: [a]\n");
  CHECK(cycle.Run({"up", "-d"}) == 1);
  CHECK(cycle.err.find("compose.yaml:") != std::string::npos);
  CHECK(cycle.err.find("dependency cycle detected") != std::string::npos);

  Project no_health(
      "services:\n  web:\n    image: nginx\n    depends_on:\n      db: {condition: "
      "service_healthy}\n  db:\n    image: redis:7\n");
  CHECK(no_health.Run({"up", "-d"}) == 1);
  CHECK(no_health.err ==
        "dependency failed to start: container shop-db-1 has no healthcheck configured\n");

  Project p(kShop);
  CHECK(p.Run({"frob"}) == 1);
  CHECK(p.Run({"run", "nosuch"}) == 1);
  CHECK(p.err == "no such service: nosuch\n");
}

}  // namespace
}  // namespace dockit::sim
