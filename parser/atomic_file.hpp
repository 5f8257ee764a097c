// Writing a file so that a crash or a full disk never leaves half of it: the text goes to a
// temporary file in the same folder, is flushed to the disk (fsync), and is renamed over the
// target, which keeps its permissions. dlint --fix, the planner's digest cache and build record,
// and the simulator's state file all write this way.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dockit {

// nullopt on success, else what went wrong ("cannot write x.tmp: No space left on device");
// the target is then untouched and the temporary file removed.
std::optional<std::string> WriteFileAtomically(const std::string& path, std::string_view text);

}  // namespace dockit
