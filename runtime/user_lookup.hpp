// Resolving a step's USER the way Docker (runc's GetExecUser) does: "name", "uid", "name:group",
// "uid:gid" or "", through the root's /etc/passwd and /etc/group. It runs before the container
// starts, reading the files out of the image layers, so that an unknown user is an error value
// rather than a message from inside a child process.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"

namespace dockit::runtime {

struct ExecUser {
  unsigned uid = 0;
  unsigned gid = 0;
  std::vector<unsigned> supplementary_gids;  // from /etc/group, only for the implicit group form
  std::string home = "/";
};

// `passwd` and `group` are the files' contents ("" when the root has none).
Result<ExecUser> ResolveUser(std::string_view spec, std::string_view passwd,
                             std::string_view group);

// Where `relative` is on the host in the overlay of `lower_dirs` (bottom first): in the topmost
// layer that has it, unless a whiteout or an opaque directory above hides it. A symlink on the
// way is not followed (it could point out of the layer): the path counts as absent.
std::optional<std::string> FindThroughLayers(const std::vector<std::string>& lower_dirs,
                                             std::string_view relative);

// The contents of `relative` (e.g. "etc/passwd") as the overlay of `lower_dirs` (bottom first)
// shows it: the topmost layer that has it wins, a whiteout or an opaque directory above hides
// it. "" when no layer has it. Symlinks are not followed (they could point out of the layer).
std::string ReadThroughLayers(const std::vector<std::string>& lower_dirs,
                              std::string_view relative);

}  // namespace dockit::runtime
