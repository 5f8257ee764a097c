#include "cli/dexec/root.hpp"

#include <unistd.h>

#include <cstdlib>

namespace dockit::dexec {

std::string DefaultRoot() {
  if (const char* env = std::getenv("DEXEC_ROOT"); env && *env) return env;
  if (::geteuid() == 0) return "/var/lib/dexec";
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::string(xdg) + "/dexec";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.local/share/dexec";
}

}  // namespace dockit::dexec
