// Running an external program (ShellCheck) safely: posix_spawn without a shell, every pipe and
// file created close-on-exec, stdout and stderr read with poll() so a chatty child cannot block
// us, and a deadline after which the child is killed. Inputs are passed as in-memory files
// (memfd) that the child opens as /dev/fd/N, so nothing is written to disk and no stdin pipe can
// deadlock.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"

namespace dockit::lint {

// An anonymous in-memory file holding `content`, close-on-exec. The child sees it as Path()
// when it is passed to RunProgram in `inherit`.
class MemFile {
 public:
  static Result<MemFile> Create(std::string_view content);
  MemFile(MemFile&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  MemFile& operator=(MemFile&& other) noexcept;
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;
  ~MemFile();

  int Fd() const { return fd_; }
  std::string Path() const { return "/dev/fd/" + std::to_string(fd_); }

 private:
  explicit MemFile(int fd) : fd_(fd) {}
  int fd_ = -1;
};

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;      // the signal that ended it, 0 when it exited
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Runs `program` (a path, or a name looked up in PATH) with `args` (argv[1..]), stdin from
// /dev/null, and waits at most `timeout_ms`. The descriptors in `inherit` stay open, at the same
// numbers, in the child only. Errors: the program cannot be started (code "spawn").
Result<ProcessResult> RunProgram(const std::string& program, const std::vector<std::string>& args,
                                 const std::vector<int>& inherit = {}, int timeout_ms = 10000);

// The first executable `name` in PATH (or `name` itself when it contains a '/'), nullopt when
// there is none.
std::optional<std::string> FindProgram(std::string_view name);

}  // namespace dockit::lint
