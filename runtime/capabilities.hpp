// Docker's default capability set, applied in the container just before exec: the bounding set
// loses every other capability, and the effective, permitted and inheritable sets become the
// default set for root and empty for another user (the kernel clears them on setuid).
#pragma once

#include <cstdint>

namespace dockit::runtime {

// CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID SETUID SETFCAP SETPCAP NET_BIND_SERVICE
// SYS_CHROOT KILL AUDIT_WRITE: /proc/self/status shows it as CapBnd 00000000a80425fb.
inline constexpr uint64_t kDockerDefaultCapabilities = 0x00000000a80425fbULL;

// Drops every capability outside `keep` from the bounding set. Allocation free (for a forked
// child); returns 0 or an errno value.
int DropBoundingCapabilities(uint64_t keep);

// Sets the effective, permitted and inheritable sets to `caps` (a subset of what is permitted).
int SetCapabilities(uint64_t caps);

}  // namespace dockit::runtime
