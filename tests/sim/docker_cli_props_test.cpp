// Random docker command lines (valid and not: unknown flags, missing operands, names that do
// not exist, builds that hit and miss the cache) through the simulator's CLI never crash and
// keep the world's invariants: no container refers to a missing image, no tag names a missing
// image, removing and pruning never make the store grow, a command that fails on its flags
// changes nothing, and the state survives a save and a load unchanged.
#include <rapidcheck.h>
#include <rapidcheck/catch.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/docker_cli.hpp"
#include "sim/state_io.hpp"

namespace dockit::sim {
namespace {

namespace fs = std::filesystem;

const std::vector<std::vector<std::string>> kCommands = {
    {"run", "-d", "--name", "@name", "@image"},
    {"run", "--rm", "@image", "echo", "hi"},
    {"run", "-d", "-p", "8080:80", "@image"},
    {"run", "--name", "@name", "@image", "sh", "-c", "echo a; exit 3"},
    {"run", "-d", "-v", "data:/data", "@image", "sleep", "infinity"},
    {"create", "--name", "@name", "@image"},
    {"start", "@name"},
    {"stop", "@name"},
    {"stop", "-t", "0", "@name"},
    {"kill", "@name"},
    {"restart", "@name"},
    {"rm", "@name"},
    {"rm", "-f", "@name"},
    {"rmi", "@image"},
    {"rmi", "-f", "@image"},
    {"ps", "-a"},
    {"images"},
    {"logs", "@name"},
    {"exec", "@name", "echo", "x"},
    {"diff", "@name"},
    {"inspect", "@name"},
    {"history", "@image"},
    {"tag", "@image", "mine:1"},
    {"build", "-t", "built", "@context"},
    {"build", "--no-cache", "-t", "built:2", "@context"},
    {"builder", "prune", "-f"},
    {"image", "prune", "-a", "-f"},
    {"container", "prune", "-f"},
    {"system", "prune", "-a", "-f", "--volumes"},
    {"volume", "rm", "data"},
    {"network", "create", "net1"},
    {"network", "rm", "net1"},
    {"ps", "--bogus"},
    {"run"},
    {"frobnicate"},
};
const std::vector<std::string> kImages = {"alpine", "nginx",  "redis:7",
                                          "built",  "mine:1", "nosuch"};
const std::vector<std::string> kNames = {"a", "b", "web"};

void CheckInvariants(const World& world) {
  for (const auto& [id, c] : world.Containers()) {
    RC_ASSERT(world.ImageById(c.image_id) != nullptr);
  }
  for (const auto& [tag, id] : world.Tags()) RC_ASSERT(world.ImageById(id) != nullptr);
}

TEST_CASE("random docker command lines keep the world consistent", "[sim][cli][props]") {
  fs::path context = fs::temp_directory_path() / ("dockit-cli-props-" + std::to_string(getpid()));
  fs::create_directories(context);
  std::ofstream(context / "Dockerfile")
      << "FROM alpine\nCOPY a.txt /a.txt\nCMD [\"sleep\", \"9\"]\n";
  std::ofstream(context / "a.txt") << "a\n";
  rc::prop("never crash, invariants hold", [&] {
    World world;
    CliSession session{world, context.string(), std::nullopt};
    int steps = *rc::gen::inRange(1, 25);
    bool built = false, pruned = false;
    for (int i = 0; i < steps; ++i) {
      std::vector<std::string> argv = kCommands[*rc::gen::inRange<size_t>(0, kCommands.size())];
      for (std::string& w : argv) {
        if (w == "@image") w = kImages[*rc::gen::inRange<size_t>(0, kImages.size())];
        if (w == "@name") w = kNames[*rc::gen::inRange<size_t>(0, kNames.size())];
        if (w == "@context") w = context.string();
      }
      uint64_t before = world.StoredBytes();
      std::string state_before = SerializeWorld(world);
      std::ostringstream out, err;
      int code = RunDockerCommand(session, argv, out, err);
      CheckInvariants(world);
      const std::string& verb = argv[0];
      bool removes = verb == "rm" || verb == "rmi" || argv.back() == "-f" ||
                     (argv.size() > 1 && argv[1] == "prune");
      if (removes && verb != "run") RC_ASSERT(world.StoredBytes() <= before);
      // A bad flag or an unknown command changes nothing.
      if (code == 125 && err.str().find("See 'docker") != std::string::npos &&
          err.str().find("docker: ") == std::string::npos) {
        RC_ASSERT(SerializeWorld(world) == state_before);
      }
      if (verb == "frobnicate") RC_ASSERT(code == 1);
      if (verb == "build" && code == 0) built = true;
      if (argv.size() > 1 && argv[1] == "prune") pruned = true;
      world.Advance(*rc::gen::inRange(0, 30));
      CheckInvariants(world);
    }
    RC_CLASSIFY(built, "an image was built");
    RC_CLASSIFY(pruned, "something was pruned");
    std::string text = SerializeWorld(world);
    auto loaded = ParseWorld(text, "memory");
    RC_ASSERT(loaded.Ok());
    RC_ASSERT(SerializeWorld(*loaded) == text);
  });
  fs::remove_all(context);
}

}  // namespace
}  // namespace dockit::sim
