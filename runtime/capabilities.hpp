// Docker's default capability set, applied in the container just before exec: the bounding set
// loses every other capability, and the effective and permitted sets become the default set for
// root and empty for another user (the kernel clears them on setuid). The inheritable set is
// always empty, as in Docker since 20.10.14 (CVE-2022-24769).
#pragma once

#include <cstdint>

namespace dockit::runtime {

// CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID SETUID SETFCAP SETPCAP NET_BIND_SERVICE
// SYS_CHROOT KILL AUDIT_WRITE: /proc/self/status shows it as CapBnd 00000000a80425fb.
inline constexpr uint64_t kDockerDefaultCapabilities = 0x00000000a80425fbULL;

// Drops every capability outside `keep` from the bounding set. Allocation free (for a forked
// child); returns 0 or an errno value.
int DropBoundingCapabilities(uint64_t keep);

// Sets the effective and permitted sets to `caps` (a subset of what is permitted) and empties
// the inheritable set.
int SetCapabilities(uint64_t caps);

}  // namespace dockit::runtime
