#include "linter/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace dockit::lint {
namespace {

Diagnostic SpawnError(std::string message) {
  return Diagnostic{"spawn", std::move(message), {}, Severity::kError};
}

// Closes a descriptor once; -1 means closed.
struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Close(); }
  void Close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

Result<MemFile> MemFile::Create(std::string_view content) {
  int fd = ::memfd_create("dlint-input", MFD_CLOEXEC);
  if (fd < 0) return SpawnError(std::string("memfd_create: ") + std::strerror(errno));
  MemFile file(fd);
  if (!WriteAll(fd, content)) {
    return SpawnError(std::string("writing an in-memory file: ") + std::strerror(errno));
  }
  return file;
}

MemFile& MemFile::operator=(MemFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

MemFile::~MemFile() {
  if (fd_ >= 0) ::close(fd_);
}

Result<ProcessResult> RunProgram(const std::string& program, const std::vector<std::string>& args,
                                 const std::vector<int>& inherit, int timeout_ms) {
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    return SpawnError(std::string("pipe: ") + std::strerror(errno));
  }
  Fd out_read(out_pipe[0]), out_write(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    return SpawnError(std::string("pipe: ") + std::strerror(errno));
  }
  Fd err_read(err_pipe[0]), err_write(err_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_write.fd, 2);
  // dup2 onto the same number clears FD_CLOEXEC in the child only (POSIX 2024, glibc >= 2.29),
  // so other threads' children never see these descriptors.
  for (int fd : inherit) posix_spawn_file_actions_adddup2(&actions, fd, fd);

  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return SpawnError("cannot run " + program + ": " + std::strerror(rc));
  out_write.Close();
  err_write.Close();

  ProcessResult result;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buffer[65536];
  while (out_read.fd >= 0 || err_read.fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd fds[2];
    nfds_t n = 0;
    if (out_read.fd >= 0) fds[n++] = {out_read.fd, POLLIN, 0};
    if (err_read.fd >= 0) fds[n++] = {err_read.fd, POLLIN, 0};
    int ready = ::poll(fds, n, static_cast<int>(left));
    if (ready < 0) {
      if (errno == EINTR) continue;
      ::kill(pid, SIGKILL);
      break;
    }
    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      Fd& which = fds[i].fd == out_read.fd ? out_read : err_read;
      std::string& into = fds[i].fd == out_read.fd ? result.out : result.err;
      ssize_t got = ::read(which.fd, buffer, sizeof buffer);
      if (got > 0) {
        into.append(buffer, static_cast<size_t>(got));
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        which.Close();
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

std::optional<std::string> FindProgram(std::string_view name) {
  auto executable = [](const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
           ::access(path.c_str(), X_OK) == 0;
  };
  if (name.find('/') != std::string_view::npos) {
    std::string path(name);
    return executable(path) ? std::optional<std::string>(path) : std::nullopt;
  }
  const char* env = std::getenv("PATH");
  std::string_view dirs = env ? env : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    size_t colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    std::string path = (dir.empty() ? std::string(".") : dir) + "/" + std::string(name);
    if (executable(path)) return path;
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return std::nullopt;
}

}  // namespace dockit::lint
