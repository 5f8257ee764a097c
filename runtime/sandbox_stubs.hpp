// Mount points the sandbox had to create (/proc, /dev, /sys, bind targets) are not changes made
// by the step: like BuildKit's MountStubsCleaner, they are removed from the upper directory
// afterwards when they are still empty, so the layer holds exactly what the command changed.
#pragma once

#include <string>
#include <vector>

namespace dockit::runtime {

// The targets (relative, and each of their parent directories) that no lower layer has.
std::vector<std::string> MissingMountPoints(const std::vector<std::string>& lower_dirs,
                                            const std::vector<std::string>& targets);

// Removes those of `stubs` that are, in `upper_dir`, an empty directory or an empty file,
// deepest first.
void RemoveMountStubs(const std::string& upper_dir, std::vector<std::string> stubs);

}  // namespace dockit::runtime
