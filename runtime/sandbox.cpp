// The parent's side of a sandboxed step: everything is prepared here (user lookup, seccomp
// program, argv/envp, overlay options, a temporary mount point), then two forks: the first
// child unshares the namespaces and forks the container's init (PID 1 of the new PID namespace),
// waits for it and exits with its status; the parent streams the output pipe, enforces the
// timeout and reads the error pipe, on which the init reports a failed setup step.
#include "runtime/sandbox.hpp"

#include "runtime/build_overlay.hpp"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>
#include <sys/syscall.h>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "runtime/capabilities.hpp"
#include "runtime/sandbox_child.hpp"
#include "runtime/sandbox_stubs.hpp"
#include "runtime/seccomp_filter.hpp"
#include "runtime/user_lookup.hpp"

namespace dockit::runtime {
namespace {

namespace fs = std::filesystem;

constexpr size_t kOutputTail = 64 * 1024;
constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

Diagnostic SetupError(std::string message) {
  return Diagnostic{"sandbox-setup", std::move(message), {}, Severity::kError};
}

Diagnostic ErrnoError(const std::string& what, int error) {
  return SetupError(what + ": " + std::strerror(error));
}

// A descriptor closed when it goes out of scope.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    Reset(std::exchange(other.fd_, -1));
    return *this;
  }
  ~Fd() { Reset(); }
  int Get() const { return fd_; }
  void Reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// Above stdin/stdout/stderr, so that the child's dup2 onto 0..2 cannot clobber it.
Result<Fd> High(int fd, const char* what) {
  if (fd < 0) return ErrnoError(what, errno);
  if (fd > 2) return Fd(fd);
  int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  int error = errno;
  close(fd);
  if (moved < 0) return ErrnoError("dup", error);
  return Fd(moved);
}

Status MakePipe(Fd* read_end, Fd* write_end) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return ErrnoError("pipe", errno);
  auto r = High(fds[0], "pipe");
  auto w = High(fds[1], "pipe");
  if (!r) return r.Error();
  if (!w) return w.Error();
  *read_end = std::move(r).Value();
  *write_end = std::move(w).Value();
  return OkStatus();
}

// The temporary mount point (and the empty lower directory of FROM scratch), removed on return.
struct TempDirs {
  fs::path base;
  ~TempDirs() {
    std::error_code ignored;
    if (!base.empty()) fs::remove_all(base, ignored);
  }
};

std::string EnvValue(const std::vector<std::pair<std::string, std::string>>& env,
                     const std::string& name, bool* found) {
  for (const auto& [key, value] : env)
    if (key == name) {
      *found = true;
      return value;
    }
  *found = false;
  return "";
}

Status PrepareExec(const SandboxSpec& spec, const ExecUser& user, ContainerPlan* plan) {
  if (spec.argv.empty() || spec.argv[0].empty()) return SetupError("no command to run");
  plan->argv_storage = spec.argv;
  for (const auto& [key, value] : spec.env) plan->env_storage.push_back(key + "=" + value);
  bool has_home = false;
  EnvValue(spec.env, "HOME", &has_home);
  if (!has_home) plan->env_storage.push_back("HOME=" + user.home);  // as Docker does
  for (std::string& arg : plan->argv_storage) plan->argv.push_back(arg.data());
  plan->argv.push_back(nullptr);
  for (std::string& entry : plan->env_storage) plan->envp.push_back(entry.data());
  plan->envp.push_back(nullptr);

  const std::string& program = spec.argv[0];
  plan->searched_path = program.find('/') == std::string::npos;
  if (!plan->searched_path) {
    plan->candidates.push_back(program);
    return OkStatus();
  }
  bool has_path = false;
  std::string path = EnvValue(spec.env, "PATH", &has_path);
  if (!has_path) path = kDefaultPath;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    if (dir.empty()) dir = ".";  // an empty PATH entry means the working directory
    plan->candidates.push_back(dir + "/" + program);
    start = end + 1;
  }
  return OkStatus();
}

Status PrepareFilesystem(const SandboxSpec& spec, ContainerPlan* plan, TempDirs* temp) {
  for (const std::string& lower : spec.lower_dirs) {
    struct stat st;
    if (stat(lower.c_str(), &st) != 0) return ErrnoError("lower directory " + lower, errno);
    if (!S_ISDIR(st.st_mode)) return ErrnoError("lower directory " + lower, ENOTDIR);
  }
  if (spec.upper_dir.empty() || spec.work_dir.empty())
    return SetupError("the sandbox needs an upper and a work directory");
  std::error_code error;
  fs::create_directories(spec.upper_dir, error);
  if (error) return SetupError("upper directory " + spec.upper_dir + ": " + error.message());
  fs::create_directories(spec.work_dir, error);
  if (error) return SetupError("work directory " + spec.work_dir + ": " + error.message());

  fs::path parent = fs::absolute(spec.work_dir).lexically_normal().parent_path();
  std::string pattern = (parent / ".sandbox-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return ErrnoError("temporary directory", errno);
  temp->base = pattern;
  plan->merged_dir = (temp->base / "merged").string();
  if (mkdir(plan->merged_dir.c_str(), 0755) != 0) return ErrnoError("mount point", errno);

  for (auto it = spec.lower_dirs.rbegin(); it != spec.lower_dirs.rend(); ++it)
    plan->lower_top_first.push_back(fs::absolute(*it).lexically_normal().string());
  if (plan->lower_top_first.empty()) {
    std::string empty = (temp->base / "empty").string();
    if (mkdir(empty.c_str(), 0755) != 0) return ErrnoError("empty lower directory", errno);
    plan->lower_top_first.push_back(empty);
  }
  plan->upper_dir = fs::absolute(spec.upper_dir).lexically_normal().string();
  plan->work_dir = fs::absolute(spec.work_dir).lexically_normal().string();
  plan->overlay_options = "lowerdir=";
  for (size_t i = 0; i < plan->lower_top_first.size(); ++i) {
    if (i) plan->overlay_options += ':';
    plan->overlay_options += EscapeOverlayPath(plan->lower_top_first[i]);
  }
  plan->overlay_options +=
      ",redirect_dir=off,metacopy=off,index=off,upperdir=" + EscapeOverlayPath(plan->upper_dir) +
      ",workdir=" + EscapeOverlayPath(plan->work_dir);

  // An /etc/hosts that knows localhost and the hostname, whatever the image has (BuildKit and
  // Docker do the same); with the host's network, the host's resolver configuration too, or
  // package managers cannot resolve mirrors. All read-only; the step's own binds may replace them.
  std::vector<SandboxSpec::Bind> binds;
  std::string hosts = (temp->base / "hosts").string();
  {
    std::ofstream out(hosts, std::ios::trunc);
    out << "127.0.0.1\tlocalhost " << spec.hostname
        << "\n::1\tlocalhost ip6-localhost ip6-loopback\n";
    if (!out.flush()) return SetupError("cannot write " + hosts);
  }
  binds.push_back({hosts, "/etc/hosts", true});
  struct stat resolv;
  if (spec.network == NetworkMode::kHost && stat("/etc/resolv.conf", &resolv) == 0 &&
      S_ISREG(resolv.st_mode))
    binds.push_back({"/etc/resolv.conf", "/etc/resolv.conf", true});
  binds.insert(binds.end(), spec.binds.begin(), spec.binds.end());
  for (const SandboxSpec::Bind& bind : binds) {
    struct stat st;
    if (stat(bind.host.c_str(), &st) != 0) return ErrnoError("bind source " + bind.host, errno);
    std::string target = fs::path(bind.container).lexically_normal().string();
    while (!target.empty() && target.front() == '/') target.erase(0, 1);
    if (target.empty() || target == ".")
      return SetupError("bind target " + bind.container + ": cannot mount over the root");
    plan->binds.push_back({bind.host, target, bind.read_only, S_ISDIR(st.st_mode)});
  }

  plan->cwd = spec.cwd.empty() ? "/" : spec.cwd;
  if (plan->cwd.front() != '/') plan->cwd = "/" + plan->cwd;
  return OkStatus();
}

// The first child: unshares, forks the container's init, passes its pid up and exits with its
// status (128+N for a signal, as the result reports it). Never returns.
[[noreturn]] void RunIntermediate(const ContainerPlan& plan, int pid_fd, int flags, pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (getppid() != parent) _exit(125);  // the caller died before the line above
  const int keep[] = {0, 1, 2, plan.output_fd, plan.error_fd, plan.null_fd, pid_fd};
  CloseAllExcept(keep, 7);
  if (unshare(flags) != 0) {
    WriteChildError(plan.error_fd, "unshare namespaces", errno);
    _exit(125);
  }
  pid_t init = fork();
  if (init < 0) {
    WriteChildError(plan.error_fd, "fork container init", errno);
    _exit(125);
  }
  if (init == 0) RunContainerInit(plan);
  // The timeout kills the init directly: killing this process would leave it running.
  (void)!write(pid_fd, &init, sizeof init);
  close(pid_fd);
  close(plan.error_fd);
  close(plan.output_fd);
  close(plan.null_fd);
  int status = 0;
  while (waitpid(init, &status, 0) < 0) {
    if (errno != EINTR) _exit(125);
  }
  _exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
}

void KeepTail(std::string* output, std::string_view chunk) {
  output->append(chunk);
  if (output->size() > 2 * kOutputTail) output->erase(0, output->size() - kOutputTail);
}

}  // namespace

Result<SandboxResult> RunSandboxed(const SandboxSpec& spec,
                                   const std::function<void(std::string_view)>& on_output) {
  std::string passwd = ReadThroughLayers(spec.lower_dirs, "etc/passwd");
  std::string group = ReadThroughLayers(spec.lower_dirs, "etc/group");
  Result<ExecUser> user = ResolveUser(spec.user, passwd, group);
  if (!user) return user.Error();
  Result<std::vector<sock_filter>> program = SandboxSeccompProgram();
  if (!program) return program.Error();

  ContainerPlan plan;
  TempDirs temp;
  if (Status s = PrepareFilesystem(spec, &plan, &temp); !s) return s.Error();
  if (Status s = PrepareExec(spec, *user, &plan); !s) return s.Error();
  plan.hostname = spec.hostname;
  plan.network = spec.network;
  plan.uid = user->uid;
  plan.gid = user->gid;
  plan.groups.assign(user->supplementary_gids.begin(), user->supplementary_gids.end());
  plan.capabilities = user->uid == 0 ? kDockerDefaultCapabilities : 0;
  plan.seccomp = *program;

  std::vector<std::string> targets = {"proc", "dev", "sys"};
  for (const ContainerPlan::Bind& bind : plan.binds) targets.push_back(bind.container);
  MountStubs stubs = PlanMountStubs(spec.lower_dirs, plan.upper_dir, targets, plan.cwd.substr(1));

  Fd output_r, output_w, error_r, error_w, pid_r, pid_w;
  if (Status s = MakePipe(&output_r, &output_w); !s) return s.Error();
  if (Status s = MakePipe(&error_r, &error_w); !s) return s.Error();
  if (Status s = MakePipe(&pid_r, &pid_w); !s) return s.Error();
  Result<Fd> null_fd = High(open("/dev/null", O_RDONLY | O_CLOEXEC), "/dev/null");
  if (!null_fd) return null_fd.Error();
  plan.output_fd = output_w.Get();
  plan.error_fd = error_w.Get();
  plan.null_fd = null_fd->Get();

  int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC;
  if (spec.network == NetworkMode::kNone) flags |= CLONE_NEWNET;
  pid_t parent = getpid();
  pid_t child = fork();
  if (child < 0) return ErrnoError("fork", errno);
  if (child == 0) RunIntermediate(plan, pid_w.Get(), flags, parent);
  output_w.Reset();
  error_w.Reset();
  pid_w.Reset();

  pid_t init = -1;
  if (read(pid_r.Get(), &init, sizeof init) != static_cast<ssize_t>(sizeof init)) init = -1;

  SandboxResult result;
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now();
  if (spec.timeout_seconds)
    deadline += std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(*spec.timeout_seconds));
  char buffer[16384];
  while (true) {
    int wait_ms = -1;
    if (spec.timeout_seconds && !result.timed_out) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      wait_ms = static_cast<int>(std::max<long long>(0, left.count()));
    }
    pollfd pfd{output_r.Get(), POLLIN, 0};
    int ready = poll(&pfd, 1, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      // Killing PID 1 of the namespace kills every process in it.
      if (init > 0) kill(init, SIGKILL);
      kill(child, SIGKILL);
      result.timed_out = true;
      continue;
    }
    ssize_t n = read(output_r.Get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::string_view chunk(buffer, static_cast<size_t>(n));
    if (on_output) on_output(chunk);
    KeepTail(&result.output, chunk);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) return ErrnoError("wait", errno);
  }
  RemoveMountStubs(plan.upper_dir, stubs);
  std::string setup_error;
  ssize_t n;
  while ((n = read(error_r.Get(), buffer, sizeof buffer)) > 0)
    setup_error.append(buffer, static_cast<size_t>(n));
  if (!setup_error.empty() && !result.timed_out) return SetupError(setup_error);

  if (result.output.size() > kOutputTail)
    result.output.erase(0, result.output.size() - kOutputTail);
  if (result.timed_out)
    result.exit_code = 128 + SIGKILL;
  else
    result.exit_code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  return result;
}

std::optional<std::string> SandboxUnavailable() {
  if (geteuid() != 0) return "running build steps for real needs root (namespaces and overlayfs)";
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (syscall(SYS_capget, &header, data) != 0 || (data[0].effective & (1U << CAP_SYS_ADMIN)) == 0)
    return "running build steps for real needs CAP_SYS_ADMIN, which this process lacks";
  // fsopen loads the overlay module when it is not built in.
  int fs = fsopen("overlay", FSOPEN_CLOEXEC);
  if (fs < 0) return std::string("the kernel has no overlayfs: ") + std::strerror(errno);
  close(fs);
  return std::nullopt;
}

std::optional<std::string> SandboxNamespacesRefused() {
  // A trial of what a container needs beyond root: the namespaces, and a fresh /proc in the
  // new PID namespace (refused inside an unprivileged container, whose /proc is masked).
  pid_t child = fork();
  if (child < 0) return std::string("cannot fork: ") + std::strerror(errno);
  if (child == 0) {
    if (unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET) != 0)
      _exit(1);
    pid_t init = fork();
    if (init == 0) {
      int proc = fsopen("proc", FSOPEN_CLOEXEC);
      bool ok = proc >= 0 && fsconfig(proc, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) == 0 &&
                fsmount(proc, FSMOUNT_CLOEXEC, 0) >= 0;
      _exit(ok ? 0 : 2);
    }
    int status = 0;
    while (init > 0 && waitpid(init, &status, 0) < 0 && errno == EINTR) {
    }
    _exit(init > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : 1);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
  if (code == 1) return "creating namespaces is not allowed here (a container without privileges?)";
  if (code == 2)
    return "mounting /proc in a new PID namespace is not allowed here (a container whose /proc "
           "is masked?)";
  return std::nullopt;
}

Diagnostic ExplainSandboxFailure(Diagnostic error) {
  if (std::optional<std::string> refused = SandboxNamespacesRefused()) {
    error.message =
        *refused + "; `dexec --sim` runs the same on the simulator (" + error.message + ")";
  }
  return error;
}

Status PrivateMountNamespace() {
  if (unshare(CLONE_NEWNS) != 0) return ErrnoError("unshare mount namespace", errno);
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    return ErrnoError("make mounts private", errno);
  return OkStatus();
}

}  // namespace dockit::runtime
