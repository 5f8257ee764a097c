// Running a command in a container: an overlayfs root made of image layers (lower directories,
// read-only) and a fresh upper directory, new mount, PID, UTS, IPC and network namespaces,
// pivot_root into the root, /proc, a minimal /dev (null, zero, full, random, urandom, tty, a
// /dev/pts and /dev/shm), a read-only /sys, then the user, groups, working directory and
// environment of the step, no_new_privs, Docker's default capability set and a seccomp filter
// that denies what Docker's default profile denies to an unprivileged container (mount, kexec,
// module loading, keyctl, ptrace of others, ...). Every descriptor but stdin/stdout/stderr is
// closed before exec.
//
// Deliberate differences from Docker:
// - no_new_privs is always on (Docker builds leave it off): setuid programs such as sudo or su do
//   not raise privileges inside a dexec step, and file capabilities are inert. A step that needs
//   root must run as root (USER root).
// - There is no device cgroup, so the root, /dev and every bind mount are nodev: a step keeps
//   CAP_MKNOD (mknod works and a layer can hold device nodes, as under Docker) but a device node
//   it makes cannot be opened. /dev's six nodes are bind mounts of the host's.
// - Every bind mount (cache mounts, `dexec run -v`) is nosuid and nodev, read-write ones too.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parser/diagnostic.hpp"

namespace dockit::runtime {

enum class NetworkMode {
  kNone,  // a new network namespace with only loopback (up): the default for builds
  kHost,  // the host's network (`--network host`, to reach package mirrors), with the host's
          // /etc/resolv.conf bound read-only (as BuildKit does)
  // Either way /etc/hosts is a read-only file naming localhost and the hostname.
};

struct SandboxSpec {
  std::vector<std::string> lower_dirs;  // bottom first; may be empty (FROM scratch)
  std::string upper_dir;                // receives every change (must be empty at first use);
                                        // mount points made for /proc, /dev, /sys and binds are
                                        // removed again, so it holds only the step's changes
  std::string work_dir;                 // overlayfs work directory, same filesystem as upper
  std::vector<std::string> argv;        // argv[0] is looked up in PATH inside the root
  std::vector<std::pair<std::string, std::string>> env;  // the full environment
  // "" = root; "name", "uid", "name:group", "uid:gid": resolved through the root's /etc/passwd
  // and /etc/group as Docker does (a numeric uid without a passwd entry is allowed; a name
  // without one is an error naming the user).
  std::string user;
  std::string cwd = "/";  // created (owned by root) if missing, as Docker does
  std::string hostname = "dexec";
  NetworkMode network = NetworkMode::kNone;
  // Extra bind mounts (RUN --mount=type=cache/bind, `dexec run -v`): host path -> container
  // path, read-only or not. Cache mounts keep their contents out of the layer.
  struct Bind {
    std::string host;
    std::string container;
    bool read_only = false;
  };
  std::vector<Bind> binds;
  std::optional<double> timeout_seconds;  // SIGKILL the container's init after this long
};

struct SandboxResult {
  int exit_code = 0;       // the command's status; 128+N when killed by signal N
  std::string output;      // the last 64 KiB of stdout and stderr, interleaved as written
  bool timed_out = false;  // killed (SIGKILL, exit_code 137) because timeout_seconds passed
};

// Runs `spec.argv` and waits for it (the caller may be threaded; several calls may run at once).
// `on_output` gets stdout and stderr as they come (for the progress display); the container's stdin
// is /dev/null. An error is a failure to set up the container (not root, no overlayfs, a missing
// program: exit 127 is a result, not an error). Everything the call mounted is gone when it
// returns, whatever happened.
Result<SandboxResult> RunSandboxed(const SandboxSpec& spec,
                                   const std::function<void(std::string_view)>& on_output = {});

// Why this process cannot run sandboxes ("... needs root ..."), or nullopt when it can as far as
// cheap checks tell: root with CAP_SYS_ADMIN, and overlayfs. Called before every build that
// runs a step, so it creates no namespace: the first sandbox does that anyway.
std::optional<std::string> SandboxUnavailable();

// Whether creating the namespaces a container needs, and a fresh /proc in the new PID
// namespace, is refused here (an unprivileged container), as a sentence; nullopt when it is
// allowed. A trial in a forked child: called only to explain a sandbox that failed to start.
std::optional<std::string> SandboxNamespacesRefused();

// A sandbox's setup error, replaced by SandboxNamespacesRefused's sentence (and a pointer to
// `--sim`) when that is why it failed.
Diagnostic ExplainSandboxFailure(Diagnostic error);

// Makes this process's mounts private in a new mount namespace, so that every overlay it mounts
// later disappears when it exits, even when it is killed. Called once by `dexec build`.
Status PrivateMountNamespace();

}  // namespace dockit::runtime
