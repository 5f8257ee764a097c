// The container's filesystem, built in its own mount namespace before pivot_root: the overlay,
// /proc, a minimal /dev, a read-only /sys and the bind mounts. Targets inside the root are
// opened with openat2(RESOLVE_IN_ROOT), so a symlink in an image can never send a mount outside
// the root. The new mount API (fsopen, open_tree, move_mount) mounts onto those descriptors.
// Every function is allocation free (it runs in the forked child) and returns a StepError.
#pragma once

#include "runtime/sandbox_child.hpp"

namespace dockit::runtime {

struct StepError {
  const char* step = nullptr;  // nullptr: success
  int error = 0;
  const char* detail = nullptr;  // the kernel's message for a failed fsconfig, when it gave one
  explicit operator bool() const { return step != nullptr; }
};

StepError MakeRootPrivate();
StepError MountOverlay(const ContainerPlan& plan, int* root_fd);
StepError MountProc(int root_fd);
StepError MountDev(int root_fd);
StepError MountSys(int root_fd, NetworkMode network);
// After /proc, /dev and /sys: masks and makes read-only what Docker does.
StepError MaskKernelPaths(int root_fd);
StepError MountBinds(const ContainerPlan& plan, int root_fd);
StepError PivotInto(int root_fd);

}  // namespace dockit::runtime
