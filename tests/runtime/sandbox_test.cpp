// The sandbox runs real commands in a busybox root and checks what they see. The fixture: a lower
// directory with Debian's static busybox and its applets, /etc/passwd and /etc/group with a few
// users, plus an upper and a work directory, all under one scratch directory removed at the end. A
// machine without root, namespaces or overlayfs makes the tests say so visibly (WARN) instead of
// passing silently.

#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "runtime/capabilities.hpp"
#include "runtime/sandbox.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

namespace dockit::runtime {
namespace {

namespace fs = std::filesystem;

inline std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void WriteText(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// An overlay upper directory cannot live on overlayfs (the root of a CI container): tmpfs then.
inline fs::path ScratchBase() {
  fs::path temp = fs::temp_directory_path();
  struct statfs info {};
  constexpr long kOverlayMagic = 0x794c7630;
  if (statfs(temp.c_str(), &info) == 0 && static_cast<long>(info.f_type) == kOverlayMagic &&
      fs::is_directory("/dev/shm"))
    return "/dev/shm";
  return temp;
}

struct BusyboxRoot {
  fs::path dir;
  fs::path lower, upper, work;
  std::string skip_reason;

  BusyboxRoot() {
    static std::atomic<int> counter{0};
    dir = ScratchBase() /
          ("dockit-sandbox-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir);
    lower = dir / "lower";
    upper = dir / "upper";
    work = dir / "work";
    fs::create_directories(lower / "bin");
    fs::create_directories(upper);
    fs::create_directories(work);
    if (auto why = SandboxUnavailable()) skip_reason = *why;
    if (!fs::exists("/bin/busybox"))
      skip_reason = "no /bin/busybox (apt-get install busybox-static)";
    if (!skip_reason.empty()) return;
    fs::copy_file("/bin/busybox", lower / "bin/busybox");
    for (const char* applet :
         {"sh",       "echo",   "cat",  "id",  "ls",    "touch",   "rm",   "mount", "ip",
          "hostname", "grep",   "env",  "pwd", "sleep", "unshare", "kill", "mkdir", "true",
          "false",    "printf", "stat", "wc",  "seq",   "head",    "mv",   "yes"})
      fs::create_symlink("busybox", lower / "bin" / applet);
    WriteText(lower / "etc/passwd",
              "root:x:0:0:root:/root:/bin/sh\n"
              "alice:x:1000:1000:Alice:/home/alice:/bin/sh\n"
              "bob:x:1001:1001::/home/bob:/bin/sh\n");
    WriteText(lower / "etc/group",
              "root:x:0:\nalice:x:1000:\nbob:x:1001:\nstaff:x:50:alice\nwheel:x:10:alice,bob\n");
    WriteText(lower / "data/file.txt", "from the lower layer\n");
    fs::create_directories(lower / "mnt");
    fs::create_directories(lower / "var/cache");
  }
  ~BusyboxRoot() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }

  // False (with a visible warning) when this machine cannot run sandboxes.
  bool Usable() const {
    if (skip_reason.empty()) return true;
    WARN("skipped: " << skip_reason);
    return false;
  }

  SandboxSpec Spec(std::vector<std::string> argv) const {
    SandboxSpec spec;
    spec.lower_dirs = {lower.string()};
    spec.upper_dir = upper.string();
    spec.work_dir = work.string();
    spec.argv = std::move(argv);
    spec.env = {{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}};
    spec.timeout_seconds = 30;
    return spec;
  }

  // Runs `script` with sh -c and requires that the sandbox itself worked.
  SandboxResult Sh(const std::string& script, const std::string& user = "") const {
    SandboxSpec spec = Spec({"sh", "-c", script});
    spec.user = user;
    return Run(spec);
  }

  static SandboxResult Run(const SandboxSpec& spec) {
    Result<SandboxResult> result = RunSandboxed(spec);
    if (!result) FAIL("sandbox error: " << result.Error().message);
    return *result;
  }
};

std::string MountInfo() { return ReadText("/proc/self/mountinfo"); }

TEST_CASE("sandbox: the command's output and exit code come back", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  std::string streamed;
  SandboxSpec spec = root.Spec({"sh", "-c", "echo hello; echo oops >&2; exit 3"});
  Result<SandboxResult> result =
      RunSandboxed(spec, [&](std::string_view chunk) { streamed.append(chunk); });
  REQUIRE(result.Ok());
  CHECK(result->exit_code == 3);
  CHECK(result->output == "hello\noops\n");
  CHECK(streamed == result->output);
  CHECK_FALSE(result->timed_out);
  CHECK(root.Sh("echo fine").exit_code == 0);
  SandboxResult stdin_result = root.Run(root.Spec({"cat"}));  // stdin is /dev/null
  CHECK(stdin_result.exit_code == 0);
  CHECK(stdin_result.output == "");
}

TEST_CASE("sandbox: everything streams, the result keeps the last 64 KiB", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  size_t streamed = 0;
  SandboxSpec spec = root.Spec({"seq", "1", "30000"});
  Result<SandboxResult> result =
      RunSandboxed(spec, [&](std::string_view chunk) { streamed += chunk.size(); });
  REQUIRE(result.Ok());
  CHECK(streamed == 168894);  // the digits of 1..30000 and their newlines
  CHECK(result->output.size() == 64 * 1024);
  CHECK_THAT(result->output, Catch::EndsWith("\n29999\n30000\n"));
}

TEST_CASE("sandbox: the environment is exactly the spec's, HOME added from passwd", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  SandboxSpec spec = root.Spec({"env"});
  spec.env.push_back({"FOO", "bar baz"});
  SandboxResult result = root.Run(spec);
  CHECK(result.exit_code == 0);
  CHECK(result.output ==
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nFOO=bar baz\n"
        "HOME=/root\n");
  CHECK(root.Sh("echo $HOME", "alice").output == "/home/alice\n");
  spec = root.Spec({"sh", "-c", "echo $HOME"});
  spec.env.push_back({"HOME", "/elsewhere"});
  CHECK(root.Run(spec).output == "/elsewhere\n");
}

TEST_CASE("sandbox: the command is PID 1 of its own PID namespace, with its hostname",
          "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  CHECK(root.Sh("echo $$").output == "1\n");
  SandboxSpec spec = root.Spec({"sh", "-c", "hostname; cat /etc/hosts"});
  spec.hostname = "builder";
  CHECK(root.Run(spec).output ==
        "builder\n127.0.0.1\tlocalhost builder\n::1\tlocalhost ip6-localhost ip6-loopback\n");
  CHECK(fs::is_empty(root.upper));  // the hosts file and its mount point are not a change
  CHECK(root.Sh("hostname").output == "dexec\n");
}

TEST_CASE("sandbox: a missing working directory is created, owned by root", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  SandboxSpec spec = root.Spec({"sh", "-c", "pwd; stat -c %u:%g /srv/app/deep"});
  spec.cwd = "/srv/app/deep";
  spec.user = "alice";
  SandboxResult result = root.Run(spec);
  CHECK(result.exit_code == 0);
  CHECK(result.output == "/srv/app/deep\n0:0\n");
  CHECK(fs::is_directory(root.upper / "srv/app/deep"));
}

TEST_CASE("sandbox: users resolve through the root's passwd and group files", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  const char* ids = "id -u; id -g; id -G";
  CHECK(root.Sh(ids).output == "0\n0\n0\n");
  CHECK(root.Sh(ids, "alice").output == "1000\n1000\n1000 10 50\n");  // the kernel sorts
  CHECK(root.Sh(ids, "1001").output == "1001\n1001\n1001 10\n");
  CHECK(root.Sh(ids, "alice:staff").output == "1000\n50\n50\n");
  CHECK(root.Sh(ids, "bob:77").output == "1001\n77\n77\n");
  CHECK(root.Sh(ids, "4242").output == "4242\n0\n0\n");  // a uid without an entry is fine

  Result<SandboxResult> unknown = RunSandboxed([&] {
    SandboxSpec spec = root.Spec({"true"});
    spec.user = "mallory";
    return spec;
  }());
  REQUIRE_FALSE(unknown.Ok());
  CHECK(unknown.Error().message ==
        "unable to find user mallory: no matching entries in passwd file");
}

TEST_CASE("sandbox: only loopback, up, in the default network namespace", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  CHECK(root.Sh("ls /sys/class/net").output == "lo\n");
  CHECK(root.Sh("cat /sys/class/net/lo/flags").output == "0x9\n");  // IFF_UP | IFF_LOOPBACK
  SandboxSpec spec = root.Spec({"ls", "/sys/class/net"});
  spec.network = NetworkMode::kHost;
  std::string host_interfaces;
  for (const auto& entry : fs::directory_iterator("/sys/class/net"))
    host_interfaces += entry.path().filename().string() + "\n";
  SandboxResult host = root.Run(spec);
  CHECK(host.exit_code == 0);
  CHECK(host.output.size() == host_interfaces.size());
}

TEST_CASE("sandbox: /proc works, /sys is read-only, /dev has the usual nodes", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  CHECK(root.Sh("cat /proc/1/cmdline | wc -c").output != "0\n");
  SandboxResult sys = root.Sh("touch /sys/x");
  CHECK(sys.exit_code != 0);
  CHECK_THAT(sys.output, Catch::Contains("Read-only file system"));
  SandboxSpec host_sys = root.Spec({"touch", "/sys/x"});
  host_sys.network = NetworkMode::kHost;
  CHECK(root.Run(host_sys).exit_code != 0);
  CHECK(root.Sh("ls /dev").output ==
        "fd\nfull\nnull\nptmx\npts\nrandom\nshm\nstderr\nstdin\nstdout\ntty\nurandom\nzero\n");
  CHECK(root.Sh("echo x > /dev/null && head -c 4 /dev/zero | wc -c").exit_code == 0);
  CHECK(root.Sh("echo shared > /dev/shm/f && cat /dev/shm/f").output == "shared\n");
  // The pty multiplexer still opens (devpts must stay without nodev for it).
  CHECK(root.Sh("exec 3<>/dev/ptmx && echo pty").output == "pty\n");
  // /dev and /dev/shm are nodev; the six nodes are bind mounts of the host's, which are not.
  std::string mounts =
      root.Sh("while read -r a b c d point opts rest; do echo \"$point $opts\"; done "
              "< /proc/self/mountinfo")
          .output;
  CHECK_THAT(mounts, Catch::Contains("\n/dev rw,nosuid,nodev\n"));
  CHECK_THAT(mounts, Catch::Contains("\n/dev/shm rw,nosuid,nodev,noexec,"));
  CHECK_THAT(mounts, Catch::Contains("\n/dev/null rw,nosuid,noexec,"));
  CHECK_THAT(mounts, Catch::Contains("\n/dev/urandom rw,nosuid,noexec,"));
  CHECK_THAT(mounts, Catch::StartsWith("/ rw,nodev,"));  // not nosuid: setuid files still work
}

// Without a device cgroup, a node the step makes (CAP_MKNOD stays, as in Docker) must not open:
// the root and /dev are nodev. Here the node is the harmless null device; before nodev, writing
// to it succeeded (with the host's disk's numbers it would have been the disk).
TEST_CASE("sandbox: a device node made in the container cannot be opened", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  const char* script =
      "mknod /nul c 1 3 && echo made; echo x > /nul && echo opened /nul;"
      "mknod /dev/nul c 1 3 && echo made; echo x > /dev/nul && echo opened /dev/nul;"
      "mknod /dev/shm/nul c 1 3 && echo made; echo x > /dev/shm/nul && echo opened shm;"
      "echo x > /dev/null && echo null works";
  SandboxResult result = root.Sh(script);
  CHECK(result.output ==
        "made\nsh: can't create /nul: Permission denied\n"
        "made\nsh: can't create /dev/nul: Permission denied\n"
        "made\nsh: can't create /dev/shm/nul: Permission denied\n"
        "null works\n");
  struct stat st {};  // the node is a change like any other: a layer can carry it
  REQUIRE(lstat((root.upper / "nul").c_str(), &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
  CHECK(st.st_rdev == makedev(1, 3));
}

TEST_CASE("sandbox: Docker's masked and read-only kernel paths", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  CHECK(root.Sh("cat /proc/keys /proc/timer_list /proc/interrupts | wc -c").output == "0\n");
  CHECK(root.Sh("ls /sys/firmware").output == "");
  SandboxResult sysctl = root.Sh("echo box > /proc/sys/kernel/domainname");
  CHECK(sysctl.exit_code != 0);
  CHECK_THAT(sysctl.output, Catch::Contains("Read-only file system"));
  CHECK(root.Sh("cat /proc/sys/kernel/ostype").output == "Linux\n");
}

TEST_CASE("sandbox: no_new_privs, seccomp and Docker's default capabilities", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  const char* status =
      "grep -E '^(NoNewPrivs|Seccomp|CapInh|CapEff|CapPrm|CapBnd):' /proc/self/status";
  // The inheritable set is empty, as in Docker since 20.10.14 (CVE-2022-24769).
  CHECK(root.Sh(status).output ==
        "CapInh:\t0000000000000000\nCapPrm:\t00000000a80425fb\nCapEff:\t00000000a80425fb\n"
        "CapBnd:\t00000000a80425fb\nNoNewPrivs:\t1\nSeccomp:\t2\n");
  CHECK(root.Sh(status, "alice").output ==
        "CapInh:\t0000000000000000\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n"
        "CapBnd:\t00000000a80425fb\nNoNewPrivs:\t1\nSeccomp:\t2\n");
}

TEST_CASE("sandbox: mount and unshare are denied inside the container", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  SandboxResult mount = root.Sh("mount -t tmpfs none /mnt");
  CHECK(mount.exit_code != 0);
  CHECK_THAT(mount.output,
             Catch::Contains("ermission denied") || Catch::Contains("Operation not permitted"));
  SandboxResult unshare = root.Sh("unshare -m true");
  CHECK(unshare.exit_code != 0);
  CHECK_THAT(unshare.output, Catch::Contains("Operation not permitted"));
  CHECK(root.Sh("unshare -n true").exit_code != 0);
}

// mount and unshare above fail for want of CAP_SYS_ADMIN alone; this one is denied only by the
// filter: personality(PER_LINUX | ADDR_NO_RANDOMIZE) (busybox's `linux64 -R`) needs no
// privilege and works on the host.
TEST_CASE("sandbox: the seccomp filter is in force inside the container", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  REQUIRE(std::system("/bin/busybox linux64 -R /bin/busybox true") == 0);
  SandboxResult denied = root.Sh("busybox linux64 -R true");
  CHECK(denied.exit_code != 0);
  CHECK_THAT(denied.output, Catch::Contains("Operation not permitted"));
  CHECK(root.Sh("busybox linux64 true && busybox linux32 true && echo allowed").output ==
        "allowed\n");
}

TEST_CASE("sandbox: the caller's ignored and blocked signals do not reach the command",
          "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  struct sigaction ignore {
  }, old_pipe{};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &old_pipe);
  sigset_t blocked, old_mask;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &blocked, &old_mask);
  SandboxResult status = root.Run(root.Spec({"grep", "^Sig[BI]", "/proc/self/status"}));
  SandboxResult pipe = root.Sh("yes | head -n 1; echo done");
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  sigaction(SIGPIPE, &old_pipe, nullptr);
  CHECK(status.output == "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
  CHECK(pipe.output == "y\ndone\n");  // yes dies of SIGPIPE quietly
}

TEST_CASE("sandbox: no descriptor of the caller leaks into the container", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  int leaky = open("/dev/null", O_RDONLY);  // deliberately without O_CLOEXEC
  REQUIRE(leaky >= 0);
  int high = dup2(leaky, 57);
  SandboxResult result = root.Run(root.Spec({"ls", "/proc/self/fd"}));
  close(leaky);
  close(high);
  CHECK(result.output == "0\n1\n2\n3\n");  // 3 is ls's own directory handle
}

TEST_CASE("sandbox: changes land in the upper directory, deletions as whiteouts", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  SandboxResult result = root.Sh("echo new > /created.txt && rm /data/file.txt && ls /data");
  CHECK(result.exit_code == 0);
  CHECK(result.output == "");
  CHECK(ReadText(root.upper / "created.txt") == "new\n");
  struct stat st {};
  REQUIRE(lstat((root.upper / "data/file.txt").c_str(), &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
  CHECK(st.st_rdev == makedev(0, 0));
  CHECK(ReadText(root.lower / "data/file.txt") == "from the lower layer\n");
  std::vector<std::string> top;
  for (const auto& entry : fs::directory_iterator(root.upper))
    top.push_back(entry.path().filename().string());
  std::sort(top.begin(), top.end());
  CHECK(top == std::vector<std::string>{"created.txt", "data"});
}

TEST_CASE("sandbox: renaming a lower directory copies it (no overlay redirect)", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  SandboxResult result = root.Sh("mv /data /moved && cat /moved/file.txt");
  CHECK(result.exit_code == 0);
  CHECK(result.output == "from the lower layer\n");
  CHECK(ReadText(root.upper / "moved/file.txt") == "from the lower layer\n");
  struct stat st {};
  REQUIRE(lstat((root.upper / "data").c_str(), &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
}

TEST_CASE("sandbox: the topmost lower directory wins", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  fs::path top = root.dir / "top";
  WriteText(top / "data/file.txt", "from the top layer\n");
  SandboxSpec spec = root.Spec({"cat", "/data/file.txt"});
  spec.lower_dirs.push_back(top.string());
  CHECK(root.Run(spec).output == "from the top layer\n");
}

TEST_CASE("sandbox: a layer path too long for fsconfig falls back to mount(2)", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  fs::path deep = root.dir / std::string(120, 'a') / std::string(120, 'b') / std::string(40, 'c');
  REQUIRE(deep.string().size() > 256);  // fsconfig copies at most 256 bytes of a value
  WriteText(deep / "data/file.txt", "from the long path\n");
  SandboxSpec spec = root.Spec({"cat", "/data/file.txt"});
  spec.lower_dirs.push_back(deep.string());
  SandboxResult result = root.Run(spec);
  CHECK(result.exit_code == 0);
  CHECK(result.output == "from the long path\n");
  // The fallback mounts the root nodev too.
  spec.argv = {"sh", "-c", "mknod /nul c 1 3 && echo x > /nul"};
  result = root.Run(spec);
  CHECK(result.exit_code != 0);
  CHECK(result.output == "sh: can't create /nul: Permission denied\n");
}

TEST_CASE("sandbox: bind mounts, read-only ones refuse writes", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  fs::path cache = root.dir / "cache";
  fs::path ro = root.dir / "ro";
  WriteText(ro / "given.txt", "given\n");
  fs::create_directories(cache);
  SandboxSpec spec =
      root.Spec({"sh", "-c", "echo kept > /var/cache/x/out && cat /in/given.txt && touch /in/y"});
  spec.binds = {{cache.string(), "/var/cache/x", false}, {ro.string(), "/in", true}};
  SandboxResult result = root.Run(spec);
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.output, Catch::StartsWith("given\n") && Catch::Contains("Read-only"));
  CHECK(ReadText(cache / "out") == "kept\n");
  CHECK_FALSE(fs::exists(ro / "y"));
  // Cache contents stay out of the layer, and so do the mount points made for the binds.
  CHECK(fs::is_empty(root.upper));
}

// A step must not leave a working setuid binary or device node behind in a cache directory: every
// bind is nosuid and nodev, the read-write ones too.
TEST_CASE("sandbox: every bind mount is nosuid and nodev", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  fs::path cache = root.dir / "cache";
  fs::path ro = root.dir / "ro";
  fs::create_directories(cache);
  fs::create_directories(ro);
  SandboxSpec spec = root.Spec(
      {"sh", "-c",
       "grep -E ' /(c|in) ' /proc/self/mountinfo | while read -r a b c d point opts rest; do "
       "echo $point $opts; done; mknod /c/nul c 1 3 && echo x > /c/nul && echo opened"});
  spec.binds = {{cache.string(), "/c", false}, {ro.string(), "/in", true}};
  SandboxResult result = root.Run(spec);
  CHECK_THAT(result.output, Catch::Matches("/c rw,nosuid,nodev,[^\n]*\n"
                                           "/in ro,nosuid,nodev,[^\n]*\n"
                                           "sh: can't create /c/nul: Permission denied\n"));
}

TEST_CASE("sandbox: the host network comes with the host's resolv.conf, not in the layer",
          "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  if (!fs::exists("/etc/resolv.conf")) {
    WARN("skipped: the host has no /etc/resolv.conf");
    return;
  }
  SandboxSpec spec = root.Spec({"cat", "/etc/resolv.conf"});
  spec.network = NetworkMode::kHost;
  SandboxResult result = root.Run(spec);
  CHECK(result.exit_code == 0);
  CHECK(result.output == ReadText("/etc/resolv.conf"));
  CHECK(fs::is_empty(root.upper));
}

TEST_CASE("sandbox: the working directory stays even where a bind needed it", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  fs::path cache = root.dir / "cache";
  fs::create_directories(cache);
  SandboxSpec spec = root.Spec({"true"});
  spec.cwd = "/app";
  spec.binds = {{cache.string(), "/app/cache", false}};
  CHECK(root.Run(spec).exit_code == 0);
  CHECK(fs::is_directory(root.upper / "app"));
  CHECK_FALSE(fs::exists(root.upper / "app/cache"));
}

TEST_CASE("sandbox: a file bind into a root without layers (FROM scratch)", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  SandboxSpec spec = root.Spec({"/bin/busybox", "echo", "from scratch"});
  spec.lower_dirs.clear();
  spec.binds = {{"/bin/busybox", "/bin/busybox", true}};
  SandboxResult result = root.Run(spec);
  CHECK(result.exit_code == 0);
  CHECK(result.output == "from scratch\n");
}

TEST_CASE("sandbox: a bind target through a symlink out of the root stays inside", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  fs::path outside = root.dir / "outside";
  fs::create_directories(outside);
  fs::create_symlink(outside, root.lower / "escape");          // absolute, to the host
  fs::create_symlink("../../../../../..", root.lower / "up");  // relative, above "/"
  fs::path data = root.dir / "data";
  WriteText(data / "f", "bound\n");
  SandboxSpec spec = root.Spec({"sh", "-c", "cat /escape/target/f /up/t2/f"});
  spec.binds = {{data.string(), "/escape/target", true}, {data.string(), "/up/t2", true}};
  SandboxResult result = root.Run(spec);
  CHECK(result.exit_code == 0);
  CHECK(result.output == "bound\nbound\n");
  CHECK(fs::is_empty(outside));
  CHECK_FALSE(fs::exists("/t2"));
  CHECK(fs::is_directory(root.upper / fs::path(outside).relative_path() / "target"));
}

TEST_CASE("sandbox: the timeout kills the container", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  SandboxSpec spec = root.Spec({"sh", "-c", "sleep 60 & sleep 60"});
  spec.timeout_seconds = 0.3;
  auto start = std::chrono::steady_clock::now();
  SandboxResult result = root.Run(spec);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  CHECK(result.timed_out);
  CHECK(result.exit_code == 137);
}

TEST_CASE("sandbox: a missing program exits 127 with runc's message", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  SandboxResult result = root.Run(root.Spec({"nosuchprogram", "x"}));
  CHECK(result.exit_code == 127);
  CHECK(result.output == "exec: \"nosuchprogram\": executable file not found in $PATH\n");
  CHECK(root.Run(root.Spec({"/nope"})).exit_code == 127);
}

TEST_CASE("sandbox: sandboxes run side by side from parallel threads", "[sandbox]") {
  BusyboxRoot slow_root, fast_root;
  if (!slow_root.Usable()) return;
  std::thread slow([&] { BusyboxRoot::Run(slow_root.Spec({"sleep", "3"})); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the slow one has forked
  auto start = std::chrono::steady_clock::now();
  SandboxResult fast = fast_root.Run(fast_root.Spec({"echo", "fast"}));
  auto took = std::chrono::steady_clock::now() - start;
  slow.join();
  CHECK(fast.output == "fast\n");
  CHECK(took < std::chrono::milliseconds(1500));
}

TEST_CASE("sandbox: nothing stays mounted afterwards", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  std::string before = MountInfo();
  SandboxSpec spec = root.Spec({"true"});
  spec.binds = {{root.dir.string(), "/host", true}};
  CHECK(root.Run(spec).exit_code == 0);
  CHECK(root.Sh("exit 1").exit_code == 1);
  CHECK(MountInfo() == before);
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(root.dir))
    left.push_back(entry.path().filename().string());
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{"lower", "upper", "work"});  // no temporary mount point
}

TEST_CASE("sandbox: setup failures are error values", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  SandboxSpec spec = root.Spec({"true"});
  spec.lower_dirs.push_back((root.dir / "missing").string());
  Result<SandboxResult> missing = RunSandboxed(spec);
  REQUIRE_FALSE(missing.Ok());
  CHECK(missing.Error().message ==
        "lower directory " + (root.dir / "missing").string() + ": No such file or directory");

  spec = root.Spec({"true"});
  spec.cwd = "/bin/busybox/sub";  // inside the container: a path through a file
  Result<SandboxResult> cwd = RunSandboxed(spec);
  REQUIRE_FALSE(cwd.Ok());
  CHECK_THAT(cwd.Error().message, Catch::StartsWith("create working directory: Not a directory"));
}

TEST_CASE("sandbox: PrivateMountNamespace keeps later mounts away from the host", "[sandbox]") {
  BusyboxRoot root;
  if (!root.Usable()) return;
  fs::path point = root.dir / "point";
  fs::create_directories(point);
  std::string before = MountInfo();
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {  // single-threaded, as dexec build is when it calls this
    bool ok = PrivateMountNamespace().Ok() &&
              mount("tmpfs", point.c_str(), "tmpfs", 0, nullptr) == 0 &&
              ReadText("/proc/self/mountinfo").find(point.string()) != std::string::npos;
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(MountInfo() == before);
}

TEST_CASE("sandbox: this machine can run sandboxes as root", "[sandbox]") {
  if (geteuid() != 0) {
    CHECK(SandboxUnavailable().has_value());
    return;
  }
  CHECK(SandboxUnavailable() == std::nullopt);
  // Namespaces are allowed here, so a sandbox's setup error is passed on as it was.
  CHECK(SandboxNamespacesRefused() == std::nullopt);
  dockit::Diagnostic setup{
      "sandbox-setup", "mount proc: Operation not permitted", {}, dockit::Severity::kError};
  CHECK(ExplainSandboxFailure(setup).message == setup.message);
  pid_t child = fork();  // without CAP_SYS_ADMIN, root is not enough
  REQUIRE(child >= 0);
  if (child == 0) {
    std::optional<std::string> why;
    if (SetCapabilities(kDockerDefaultCapabilities) == 0) why = SandboxUnavailable();
    _exit(why && why->find("CAP_SYS_ADMIN") != std::string::npos ? 0 : 1);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

}  // namespace
}  // namespace dockit::runtime
