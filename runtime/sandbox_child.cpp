#include "runtime/sandbox_child.hpp"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <net/if.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <utility>

#include "runtime/capabilities.hpp"
#include "runtime/sandbox_rootfs.hpp"
#include "runtime/seccomp_filter.hpp"

namespace dockit::runtime {
namespace {

// A fixed buffer for messages: the child must not allocate.
struct Line {
  char text[1024];
  size_t length = 0;
  Line& operator<<(const char* part) {
    while (part && *part && length < sizeof text) text[length++] = *part++;
    return *this;
  }
  void WriteTo(int fd) const {
    size_t done = 0;
    while (done < length) {
      ssize_t n = write(fd, text + done, length - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      done += static_cast<size_t>(n);
    }
  }
};

// strerror allocates for unknown values and is not async-signal-safe; the description table is.
const char* Describe(int error) {
  const char* text = strerrordesc_np(error);
  return text ? text : "unknown error";
}

[[noreturn]] void Die(const ContainerPlan& plan, const StepError& failure) {
  WriteChildError(plan.error_fd, failure.step, failure.error, failure.detail);
  _exit(125);
}

[[noreturn]] void Die(const ContainerPlan& plan, const char* step, int error = errno) {
  Die(plan, StepError{step, error, nullptr});
}

StepError BringUpLoopback() {
  int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) return StepError{"loopback socket", errno, nullptr};
  ifreq request{};
  memcpy(request.ifr_name, "lo", 3);
  StepError failure;
  if (ioctl(sock, SIOCGIFFLAGS, &request) != 0) {
    failure = StepError{"get lo flags", errno, nullptr};
  } else {
    request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP | IFF_RUNNING);
    if (ioctl(sock, SIOCSIFFLAGS, &request) != 0)
      failure = StepError{"bring up lo", errno, nullptr};
  }
  close(sock);
  return failure;
}

// mkdir -p of the working directory, now that "/" is the container's root (owned by root, as
// Docker creates it).
StepError MakeWorkingDirectory(const std::string& cwd) {
  char path[PATH_MAX];
  if (cwd.size() + 1 > sizeof path) return StepError{"working directory", ENAMETOOLONG, nullptr};
  memcpy(path, cwd.c_str(), cwd.size() + 1);
  for (size_t i = 1; i <= cwd.size(); ++i) {
    if (path[i] != '/' && path[i] != '\0') continue;
    char saved = path[i];
    path[i] = '\0';
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
      return StepError{"create working directory", errno, cwd.c_str()};
    path[i] = saved;
  }
  if (chdir(cwd.c_str()) != 0) return StepError{"chdir to working directory", errno, cwd.c_str()};
  return {};
}

// execvpe's lookup over the prepared candidates, with runc's messages when nothing runs.
[[noreturn]] void Exec(const ContainerPlan& plan) {
  int first_error = ENOENT;
  bool denied = false;
  for (const std::string& candidate : plan.candidates) {
    execve(candidate.c_str(), plan.argv.data(), plan.envp.data());
    if (errno == EACCES) denied = true;
    if (errno != ENOENT && errno != ENOTDIR && errno != EACCES && first_error == ENOENT)
      first_error = errno;
  }
  Line line;
  line << "exec: \"" << plan.argv[0] << "\": ";
  if (plan.searched_path && !denied && first_error == ENOENT) {
    line << "executable file not found in $PATH\n";
    line.WriteTo(2);
    _exit(127);
  }
  line << Describe(denied ? EACCES : first_error) << "\n";
  line.WriteTo(2);
  _exit(denied ? 126 : 127);
}

}  // namespace

void CloseAllExcept(const int* keep, int count) {
  int sorted[8];
  int n = 0;
  for (int i = 0; i < count && n < 8; ++i)
    if (keep[i] >= 0) sorted[n++] = keep[i];
  for (int i = 1; i < n; ++i)  // insertion sort: a handful of values
    for (int j = i; j > 0 && sorted[j - 1] > sorted[j]; --j) std::swap(sorted[j - 1], sorted[j]);
  unsigned next = 0;
  for (int i = 0; i < n; ++i) {
    auto fd = static_cast<unsigned>(sorted[i]);
    if (fd > next) syscall(SYS_close_range, next, fd - 1, 0U);
    next = fd + 1;
  }
  syscall(SYS_close_range, next, ~0U, 0U);
}

void WriteChildError(int fd, const char* what, int error, const char* detail) {
  Line line;
  line << what << ": " << Describe(error);
  if (detail && *detail) line << " (" << detail << ")";
  line.WriteTo(fd);
}

void RunContainerInit(const ContainerPlan& plan) {
  // The container must not outlive the process that waits for it.
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  // Ignored signals and the signal mask survive exec: the caller's (a thread that blocks
  // signals, SIGPIPE ignored by the CLI) must not change how `yes | head` behaves in a step.
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    struct sigaction action {};
    action.sa_handler = SIG_DFL;
    sigaction(sig, &action, nullptr);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  umask(0);  // the nodes and directories made below get exactly the modes asked for

  // stdin is /dev/null; stdout and stderr share one pipe so the output keeps its order.
  if (dup2(plan.null_fd, 0) < 0 || dup2(plan.output_fd, 1) < 0 || dup2(plan.output_fd, 2) < 0)
    Die(plan, "set up stdio");

  // Mounts: private first (nothing propagates to the host), the overlay, then the kernel
  // filesystems and binds inside it, all before pivot_root while the host paths are visible.
  int root = -1;
  if (StepError e = MakeRootPrivate()) Die(plan, e);
  if (StepError e = MountOverlay(plan, &root)) Die(plan, e);
  if (StepError e = MountProc(root)) Die(plan, e);
  if (StepError e = MountDev(root)) Die(plan, e);
  if (StepError e = MountSys(root, plan.network)) Die(plan, e);
  if (StepError e = MaskKernelPaths(root)) Die(plan, e);
  if (StepError e = MountBinds(plan, root)) Die(plan, e);
  if (StepError e = PivotInto(root)) Die(plan, e);
  close(root);

  // Namespaced settings that need CAP_SYS_ADMIN / CAP_NET_ADMIN, before the capabilities go.
  if (sethostname(plan.hostname.c_str(), plan.hostname.size()) != 0) Die(plan, "sethostname");
  if (plan.network == NetworkMode::kNone)
    if (StepError e = BringUpLoopback()) Die(plan, e);
  if (StepError e = MakeWorkingDirectory(plan.cwd)) Die(plan, e);
  umask(022);

  // Privileges: no_new_privs makes setuid binaries and file capabilities inert and lets an
  // unprivileged process install seccomp. The bounding set is cut while CAP_SETPCAP is still
  // there; setuid to another user then clears the permitted and effective sets.
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) Die(plan, "no_new_privs");
  if (int error = DropBoundingCapabilities(kDockerDefaultCapabilities))
    Die(plan, "drop bounding capabilities", error);
  if (setgroups(plan.groups.size(), plan.groups.data()) != 0) Die(plan, "setgroups");
  if (setgid(plan.gid) != 0) Die(plan, "setgid");
  if (setuid(plan.uid) != 0) Die(plan, "setuid");
  if (int error = SetCapabilities(plan.capabilities)) Die(plan, "set capabilities", error);

  // Every inherited descriptor but 0, 1, 2 closes at exec (the error pipe too, which tells the
  // parent that exec happened); the filter goes last because it forbids mount and friends.
  if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0) Die(plan, "close_range");
  if (int error = InstallSeccompProgram(plan.seccomp)) Die(plan, "seccomp", error);
  Exec(plan);
}

}  // namespace dockit::runtime
