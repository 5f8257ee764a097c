// The syscall filter of a sandboxed step: everything allowed except what Docker's default profile
// denies to a container without extra capabilities (mounting, new namespaces, kexec, modules,
// keyrings, bpf, perf, clock and swap changes, io_uring, personality(2) other than Docker's five
// values, ...), which fail with EPERM. It is compiled to BPF
// before the container is forked so that the child only has to hand the program to the kernel.
#pragma once

#include <linux/filter.h>

#include <vector>

#include "parser/diagnostic.hpp"

namespace dockit::runtime {

// The compiled program, built once per process (the same for every step).
Result<std::vector<sock_filter>> SandboxSeccompProgram();

// Installs `program` for the calling thread. Needs no_new_privs (or CAP_SYS_ADMIN). Allocation
// free, for a forked child. Returns 0 or an errno value.
int InstallSeccompProgram(const std::vector<sock_filter>& program);

}  // namespace dockit::runtime
