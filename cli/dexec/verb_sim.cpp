// `dexec --sim VERB ...`: a docker command on the simulated world kept in the state file. The
// world is loaded, the command runs (sim/docker_cli), and the world is saved again, atomically;
// a state file that cannot be read is an error and is left as it is.
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "cli/dexec/verbs.hpp"
#include "sim/docker_cli.hpp"
#include "sim/state_io.hpp"

namespace dockit::dexec {

int RunSimCommand(std::string_view verb, const Args& args, const Globals& globals) {
  std::string path = globals.StatePath();
  Result<sim::World> world = sim::LoadWorld(path);
  if (!world) {
    std::cerr << "dexec: " << world.Error().message << "\n";
    return 2;
  }
  sim::CliSession session{world.Value(), std::filesystem::current_path().string(), std::nullopt};
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    size_t eq = kv.find('=');
    if (eq != std::string_view::npos) {
      session.environment[std::string(kv.substr(0, eq))] = std::string(kv.substr(eq + 1));
    }
  }
  std::vector<std::string> argv{std::string(verb)};
  argv.insert(argv.end(), args.begin(), args.end());
  int code = sim::RunDockerCommand(session, argv, std::cout, std::cerr);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  Status saved = sim::SaveWorld(*world, path);
  if (!saved) {
    std::cerr << "dexec: " << saved.Error().message << "\n";
    return code ? code : 2;
  }
  return code;
}

}  // namespace dockit::dexec
