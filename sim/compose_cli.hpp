// `docker compose` on the simulated world: up, down, run, build, ps, logs, stop, start and
// restart over a project read by compose_project.hpp, with Compose v2's names
// (`<project>-<service>-1`, `<project>_default`), its start order (depends_on, waiting for
// `service_healthy` and `service_completed_successfully` on the virtual clock) and its output.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "sim/docker_cli.hpp"

namespace dockit::sim {

// argv after `compose`; the exit code as docker compose's.
int RunComposeCommand(CliSession& session, const std::vector<std::string>& argv, std::ostream& out,
                      std::ostream& err);

}  // namespace dockit::sim
