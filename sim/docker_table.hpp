// Docker's table layout (Go's tabwriter with min width 10 and padding 3, widths in code
// points), shared by the simulator's `ps`/`images`/`history` and the real runtime's verbs.
#pragma once

#include <string>
#include <vector>

namespace dockit::sim {

std::string DockerTable(const std::vector<std::vector<std::string>>& rows);

}  // namespace dockit::sim
