#include "sim/sim_time.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace dockit::sim {

std::string FormatTime(int64_t unix_seconds, const char* format) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[128];
  size_t n = std::strftime(buffer, sizeof buffer, format, &tm);
  return std::string(buffer, n);
}

std::string Rfc3339(int64_t unix_seconds, bool nanos) {
  return FormatTime(unix_seconds, nanos ? "%Y-%m-%dT%H:%M:%S.000000000Z" : "%Y-%m-%dT%H:%M:%SZ");
}

std::string HumanDuration(int64_t seconds) {
  if (seconds < 1) return "Less than a second";
  if (seconds == 1) return "1 second";
  if (seconds < 60) return std::to_string(seconds) + " seconds";
  int64_t minutes = seconds / 60;
  if (minutes == 1) return "About a minute";
  if (minutes < 60) return std::to_string(minutes) + " minutes";
  int64_t hours = std::llround(static_cast<double>(seconds) / 3600.0);
  if (hours == 1) return "About an hour";
  if (hours < 48) return std::to_string(hours) + " hours";
  if (hours < 24 * 7 * 2) return std::to_string(hours / 24) + " days";
  if (hours < 24 * 30 * 2) return std::to_string(hours / 24 / 7) + " weeks";
  if (hours < 24 * 365 * 2) return std::to_string(hours / 24 / 30) + " months";
  return std::to_string(static_cast<int64_t>(static_cast<double>(seconds) / 3600.0 / 24 / 365)) +
         " years";
}

std::string HumanSize(uint64_t bytes, int precision) {
  static const char* kUnits[] = {"B", "kB", "MB", "GB", "TB", "PB"};
  double size = static_cast<double>(bytes);
  int unit = 0;
  while (size >= 1000.0 && unit < 5) {
    size /= 1000.0;
    ++unit;
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g%s", precision, size, kUnits[unit]);
  return buffer;
}

}  // namespace dockit::sim
