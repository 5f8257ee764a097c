// The container's init, as one sequence of named steps run in the forked child that is PID 1 of
// the new PID namespace. Everything it needs is prepared by the parent in a ContainerPlan before
// the fork, so that the child does not allocate (the parent may be threaded): it only makes
// syscalls on the plan's strings and arrays, and reports a failure as "step: strerror" on the
// error pipe.
#pragma once

#include <linux/filter.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/sandbox.hpp"

namespace dockit::runtime {

struct ContainerPlan {
  // Overlay: lower directories top first (overlay's order), never empty (an empty directory
  // stands in for FROM scratch).
  std::vector<std::string> lower_top_first;
  std::string upper_dir;
  std::string work_dir;
  std::string merged_dir;       // the mount point, an empty directory made by the parent
  std::string overlay_options;  // the same as one mount(2) data string, for older kernels

  struct Bind {
    std::string host;
    std::string container;  // relative to the root, no leading slash
    bool read_only = false;
    bool directory = true;  // what to create at the target when it is missing
  };
  std::vector<Bind> binds;

  std::string hostname;
  NetworkMode network = NetworkMode::kNone;
  std::string cwd;  // absolute

  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
  uint64_t capabilities = 0;  // Docker's default set for root, none for another user

  std::vector<sock_filter> seccomp;

  // exec: candidates are the full paths tried in order (PATH lookup done as far as it can be
  // before the root exists); argv and envp point into the vectors of strings below.
  std::vector<std::string> argv_storage;
  std::vector<std::string> env_storage;
  std::vector<char*> argv;
  std::vector<char*> envp;
  std::vector<std::string> candidates;
  bool searched_path = true;  // argv[0] had no slash

  // Descriptors inherited from the parent.
  int output_fd = -1;  // the write end of the stdout+stderr pipe
  int error_fd = -1;   // CLOEXEC: closes on a successful exec
  int null_fd = -1;    // /dev/null of the host, the container's stdin
};

// Runs in the grandchild after the namespaces exist; never returns.
[[noreturn]] void RunContainerInit(const ContainerPlan& plan);

// Closes every descriptor but those in `keep` (at most 8), without allocating. The first child
// calls it at once: it never execs, so CLOEXEC does not protect the pipes of other sandboxes
// that threads of the parent run at the same time, whose EOF would wait for this container.
void CloseAllExcept(const int* keep, int count);

// Writes "what: strerror(error)" (and `detail` when set) on `fd` without allocating.
void WriteChildError(int fd, const char* what, int error, const char* detail = nullptr);

}  // namespace dockit::runtime
