#include "runtime/seccomp_filter.hpp"

#include <errno.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstring>
#include <mutex>

namespace dockit::runtime {
namespace {

// Docker's default profile denies these unless the container has CAP_SYS_ADMIN, CAP_SYS_MODULE,
// CAP_SYS_BOOT, ... which a build step never gets. ptrace stays allowed (Docker allows it on
// kernels >= 4.8, where it can no longer bypass seccomp).
constexpr const char* kDenied[] = {
    "mount",
    "umount",
    "umount2",
    "pivot_root",
    "move_mount",
    "open_tree",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "mount_setattr",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "keyctl",
    "add_key",
    "request_key",
    "bpf",
    "perf_event_open",
    "reboot",
    "swapon",
    "swapoff",
    "syslog",
    "acct",
    "settimeofday",
    "clock_settime",
    "clock_adjtime",
    "adjtimex",
    "stime",
    "unshare",
    "setns",
    "open_by_handle_at",
    "name_to_handle_at",
    "userfaultfd",
    "iopl",
    "ioperm",
    "quotactl",
    "quotactl_fd",
    "lookup_dcookie",
    "vm86",
    "vm86old",
    "create_module",
    "get_kernel_syms",
    "query_module",
    "nfsservctl",
    "uselib",
    "fanotify_init",
    // io_uring performs syscalls' work in kernel threads that seccomp never sees (Docker denies
    // it since 25.0).
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
};

// personality(2) is allowed only with the values Docker's profile allows: PER_LINUX (0),
// PER_LINUX32 (8), UNAME26 (0x20000), UNAME26|PER_LINUX32 (0x20008) and the query 0xffffffff.
// Others (ADDR_NO_RANDOMIZE, READ_IMPLIES_EXEC, ...) fail with EPERM.
constexpr unsigned long kPersonalityAllowedBits = 0x20008;
constexpr unsigned long kPersonalityQuery = 0xffffffff;

// clone with a namespace flag is unshare in disguise; Docker denies it the same way.
constexpr unsigned long kNamespaceFlags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
                                          CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |
                                          CLONE_NEWCGROUP;

Diagnostic SeccompError(const char* what, int error) {
  return Diagnostic{
      "sandbox-setup",
      std::string("seccomp ") + what + ": " + std::strerror(error < 0 ? -error : error),
      {},
      Severity::kError};
}

Result<std::vector<sock_filter>> Compile() {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == nullptr) return SeccompError("init", ENOMEM);
  struct Release {
    scmp_filter_ctx ctx;
    ~Release() { seccomp_release(ctx); }
  } release{ctx};
  // The 32-bit entry points of the same machine must be filtered too, or `int 0x80` walks
  // around the rules.
  if (seccomp_arch_native() == SCMP_ARCH_X86_64) {
    seccomp_arch_add(ctx, SCMP_ARCH_X86);
    seccomp_arch_add(ctx, SCMP_ARCH_X32);
  } else if (seccomp_arch_native() == SCMP_ARCH_AARCH64) {
    seccomp_arch_add(ctx, SCMP_ARCH_ARM);
  }
  for (const char* name : kDenied) {
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) continue;  // not a syscall on this machine
    int rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
    if (rc < 0 && rc != -EDOM && rc != -EOPNOTSUPP) return SeccompError(name, rc);
  }
  // libseccomp takes one comparison per argument in a rule and no ALLOW rule under a default of
  // ALLOW, so "not one of five values" is a union of single-comparison denials: above 32 bits;
  // bit 31 clear and a bit outside kPersonalityAllowedBits set; bit 31 set (never allowed but in
  // the query) and some other bit clear, i.e. not the query.
  int personality = seccomp_syscall_resolve_name("personality");
  if (personality != __NR_SCMP_ERROR) {
    auto deny = [&](scmp_arg_cmp compare) {
      return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), personality, 1, compare);
    };
    int rc = deny(SCMP_A0(SCMP_CMP_GT, kPersonalityQuery));
    constexpr unsigned long kTop = 1UL << 31;
    for (unsigned bit = 0; bit < 31 && rc >= 0; ++bit) {
      unsigned long mask = (1UL << bit) | kTop;
      if (((kPersonalityAllowedBits >> bit) & 1) == 0)
        rc = deny(SCMP_A0(SCMP_CMP_MASKED_EQ, mask, 1UL << bit));
      if (rc >= 0) rc = deny(SCMP_A0(SCMP_CMP_MASKED_EQ, mask, kTop));
    }
    if (rc < 0) return SeccompError("personality", rc);
  }
  // Deny clone when any namespace flag is set: one rule per flag, (flags & FLAG) == FLAG.
  int rc = 0;
  for (unsigned long bit = 1; bit != 0; bit <<= 1) {
    if ((kNamespaceFlags & bit) == 0) continue;
    rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                          SCMP_A0(SCMP_CMP_MASKED_EQ, bit, bit));
    if (rc < 0) return SeccompError("clone", rc);
  }
  // clone3 passes its flags in memory, where BPF cannot look: ENOSYS makes libc fall back to
  // clone, as Docker does.
  int clone3 = seccomp_syscall_resolve_name("clone3");
  if (clone3 != __NR_SCMP_ERROR) {
    rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), clone3, 0);
    if (rc < 0) return SeccompError("clone3", rc);
  }
  // libseccomp 2.5 exports BPF only to a file descriptor.
  int fd = memfd_create("dockit-seccomp", MFD_CLOEXEC);
  if (fd < 0) return SeccompError("memfd", errno);
  rc = seccomp_export_bpf(ctx, fd);
  if (rc < 0) {
    close(fd);
    return SeccompError("export", rc);
  }
  off_t size = lseek(fd, 0, SEEK_END);
  std::vector<sock_filter> program(static_cast<size_t>(size) / sizeof(sock_filter));
  ssize_t got = pread(fd, program.data(), program.size() * sizeof(sock_filter), 0);
  close(fd);
  if (got != static_cast<ssize_t>(program.size() * sizeof(sock_filter)) || program.empty())
    return SeccompError("export", EIO);
  return program;
}

}  // namespace

Result<std::vector<sock_filter>> SandboxSeccompProgram() {
  static const Result<std::vector<sock_filter>> program = Compile();
  return program;
}

int InstallSeccompProgram(const std::vector<sock_filter>& program) {
  sock_fprog fprog{static_cast<unsigned short>(program.size()),
                   const_cast<sock_filter*>(program.data())};
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) != 0) return errno;
  return 0;
}

}  // namespace dockit::runtime
