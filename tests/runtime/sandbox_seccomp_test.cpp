// The sandbox's seccomp program, installed in a forked child of the test: what Docker's default
// profile denies fails with EPERM (clone3 with ENOSYS, so libc falls back to clone, whose
// namespace flags are checked), and ordinary calls still work.
#include <errno.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "runtime/seccomp_filter.hpp"

namespace dockit::runtime {
namespace {

// Runs `probe` in a child under the filter; the child's exit code is the probe's number of
// unexpected results.
int UnderFilter(int (*probe)()) {
  Result<std::vector<sock_filter>> program = SandboxSeccompProgram();
  REQUIRE(program.Ok());
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || InstallSeccompProgram(*program) != 0)
      _exit(100);
    _exit(probe());
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  return WEXITSTATUS(status);
}

int Fails(long result, int expected) { return result == -1 && errno == expected ? 0 : 1; }

TEST_CASE("sandbox seccomp: Docker's denied syscalls fail with EPERM", "[sandbox]") {
  CHECK(UnderFilter([] {
          int wrong = 0;
          wrong +=
              Fails(syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0), EPERM);
          wrong +=
              Fails(syscall(SYS_add_key, "user", "k", "v", 1, KEY_SPEC_SESSION_KEYRING), EPERM);
          wrong += Fails(syscall(SYS_bpf, 0, nullptr, 0), EPERM);
          wrong += Fails(syscall(SYS_unshare, CLONE_NEWNS), EPERM);
          wrong += Fails(syscall(SYS_setns, 0, 0), EPERM);
          wrong += Fails(syscall(SYS_mount, "none", "/", "tmpfs", 0, nullptr), EPERM);
          wrong += Fails(syscall(SYS_umount2, "/", 0), EPERM);
          wrong += Fails(syscall(SYS_pivot_root, ".", "."), EPERM);
          wrong += Fails(syscall(SYS_reboot, 0, 0, 0, nullptr), EPERM);
          wrong += Fails(syscall(SYS_syslog, 3, nullptr, 0), EPERM);
          wrong += Fails(syscall(SYS_fsopen, "tmpfs", 0), EPERM);
          wrong += Fails(syscall(SYS_open_tree, -1, "/", 0), EPERM);
          wrong += Fails(syscall(SYS_userfaultfd, 0), EPERM);
          wrong += Fails(syscall(SYS_perf_event_open, nullptr, 0, -1, -1, 0), EPERM);
          wrong += Fails(syscall(SYS_clone3, nullptr, 0), ENOSYS);
          wrong += Fails(syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0), EPERM);
          wrong += Fails(syscall(SYS_clone, CLONE_NEWNET | SIGCHLD, 0, 0, 0, 0), EPERM);
          wrong += Fails(syscall(SYS_io_uring_setup, 1, nullptr), EPERM);
          wrong += Fails(syscall(SYS_io_uring_enter, -1, 0, 0, 0, nullptr, 0), EPERM);
          wrong += Fails(syscall(SYS_io_uring_register, -1, 0, nullptr, 0), EPERM);
          // personality: anything but Docker's five values.
          for (unsigned long value : {0x1UL, 0x40000UL /* ADDR_NO_RANDOMIZE */, 0x40008UL,
                                      0x400000UL /* READ_IMPLIES_EXEC */, 0x20009UL, 0x7fffffffUL,
                                      0x80000000UL, 0xfffffffeUL, 0x100000000UL, 0x100000008UL})
            wrong += Fails(syscall(SYS_personality, value), EPERM);
          return wrong;
        }) == 0);
}

TEST_CASE("sandbox seccomp: ordinary syscalls, fork and ptrace still work", "[sandbox]") {
  CHECK(UnderFilter([] {
          int wrong = 0;
          if (syscall(SYS_getpid) <= 0) ++wrong;
          // personality: Docker's allowed values (PER_LINUX, PER_LINUX32, UNAME26, both, query).
          for (unsigned long value : {0x0UL, 0x8UL, 0x20000UL, 0x20008UL, 0xffffffffUL}) {
            if (syscall(SYS_personality, value) == -1) ++wrong;
            syscall(SYS_personality, 0x0UL);
          }
          pid_t child = fork();  // clone without namespace flags
          if (child == 0) _exit(7);
          int status = 0;
          if (child < 0 || waitpid(child, &status, 0) != child || WEXITSTATUS(status) != 7) ++wrong;
          // ptrace stays allowed (Docker allows it on kernels >= 4.8): a bad request gets ESRCH,
          // not EPERM.
          if (syscall(SYS_ptrace, 0x4206 /* PTRACE_SEIZE */, 999999999, 0, 0) == 0 ||
              errno == EPERM)
            ++wrong;
          return wrong;
        }) == 0);
}

}  // namespace
}  // namespace dockit::runtime
