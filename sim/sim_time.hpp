// The simulator's virtual clock and how Docker's CLI shows times and sizes: `2 minutes ago`,
// `Up About a minute`, `187MB`, `2025-01-06T09:00:00.000000000Z`.
#pragma once

#include <cstdint>
#include <string>

namespace dockit::sim {

// The world's clock starts at 2025-01-06T09:00:00Z (a Monday morning class) and only moves
// when told to (World::Advance) or by operations that take time (stop's grace period).
inline constexpr int64_t kEpoch = 1736154000;
// When the catalogue's base images were "created" (their history and `docker images`):
// 2024-12-02T00:00:00Z, five weeks before the epoch.
inline constexpr int64_t kCatalogueCreated = 1733097600;

// strftime over UTC.
std::string FormatTime(int64_t unix_seconds, const char* format);
// RFC 3339 with nanoseconds, as `docker logs -t` and `docker inspect` show: 2025-01-06T09:00:00Z
// with `nanos` "2025-01-06T09:00:00.000000000Z".
std::string Rfc3339(int64_t unix_seconds, bool nanos = false);
// go-units HumanDuration: "Less than a second", "1 second", "About a minute", "3 hours", ...
std::string HumanDuration(int64_t seconds);
// go-units HumanSizeWithPrecision (decimal units): "0B", "7.8MB" (3 digits), "1.234MB" (4).
std::string HumanSize(uint64_t bytes, int precision = 3);

}  // namespace dockit::sim
