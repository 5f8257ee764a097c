// Mount points the sandbox had to create (/proc, /dev, /sys, bind targets such as a cache
// directory or /etc/resolv.conf) are not changes made by the step: like BuildKit's
// MountStubsCleaner, they are removed from the upper directory afterwards when they are still
// empty, so that the layer holds exactly what the command changed. A lower directory that overlay
// copied up only to hold such a stub goes too, when it is still empty and unchanged in mode and
// owner.
#pragma once

#include <string>
#include <vector>

namespace dockit::runtime {

struct MountStubs {
  std::vector<std::string> created;  // relative paths that no lower layer has
  // Lower directories on the way to a stub that the upper did not have before the step.
  std::vector<std::pair<std::string, std::string>> parents;  // relative path, host path in lower
};

// Called before the step: `targets` are relative mount targets. `working_dir` (relative) and its
// parents are never stubs: Docker keeps the working directory it creates.
MountStubs PlanMountStubs(const std::vector<std::string>& lower_dirs, const std::string& upper_dir,
                          const std::vector<std::string>& targets, const std::string& working_dir);

// Called after the step, deepest paths first.
void RemoveMountStubs(const std::string& upper_dir, const MountStubs& stubs);

}  // namespace dockit::runtime
