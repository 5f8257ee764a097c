#include "runtime/capabilities.hpp"

#include <errno.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace dockit::runtime {

int DropBoundingCapabilities(uint64_t keep) {
  for (unsigned long cap = 0; cap < 64; ++cap) {
    if ((keep >> cap) & 1) continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
      if (errno == EINVAL) break;  // past the kernel's last capability
      return errno;
    }
  }
  return 0;
}

int SetCapabilities(uint64_t caps) {
  // The raw syscall: libcap's cap_t would allocate in the forked child.
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  for (int i = 0; i < 2; ++i) {
    auto word = static_cast<uint32_t>(caps >> (32 * i));
    data[i].effective = word;
    data[i].permitted = word;
    // inheritable stays empty (Docker since 20.10.14, CVE-2022-24769): with it, a program with
    // inheritable file capabilities could gain them across exec.
  }
  if (syscall(SYS_capset, &header, data) != 0) return errno;
  return 0;
}

}  // namespace dockit::runtime
