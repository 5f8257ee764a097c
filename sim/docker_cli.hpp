// The docker command line on the simulated world: `docker build`, `run`, `ps`, `stop`, `logs`,
// `images`, `volume ls`, `system prune` ... parsed with docker's flag syntax and answered with
// what docker prints (stdout and stderr apart) and docker's exit codes. `dexec --sim VERB`, the
// interactive shell and the lesson runner all go through here.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "planner/build_driver.hpp"
#include "sim/world.hpp"

namespace dockit::sim {

// What the last build did, for lessons' `expect step N cached`.
struct LastBuild {
  std::shared_ptr<const plan::Plan> plan;
  std::vector<plan::StepReport> steps;
  std::string image_id;
};

struct CliSession {
  World& world;
  std::string cwd = ".";  // relative build contexts and files are read from here
  std::optional<LastBuild> last_build;
  // The shell environment compose interpolates from (empty in lessons, so they are the same
  // everywhere).
  std::map<std::string, std::string> environment = {};
};

// Runs one command line (argv without the leading "docker"). Exit codes as docker's: 0, 1 for
// an error from the daemon, 125 for a bad flag or a `run` that could not start, 127 when the
// container's program does not exist, or the container's own exit code for an attached `run`.
int RunDockerCommand(CliSession& session, const std::vector<std::string>& argv, std::ostream& out,
                     std::ostream& err);

// Whether a `docker run`/`create`/`exec` option takes a value (so that dexec's global options
// are looked for only before the image operand).
bool DockerRunFlagTakesValue(std::string_view option);

// The verbs RunDockerCommand knows, with a one-line summary each (help, the shell's completion).
std::vector<std::pair<std::string, std::string>> DockerCommands();

}  // namespace dockit::sim
