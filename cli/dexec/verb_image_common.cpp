// What the image verbs share: the store's root and docker's time format.
#include <algorithm>
#include <ctime>

#include "cli/dexec/root.hpp"
#include "cli/dexec/verbs.hpp"
#include "sim/sim_time.hpp"

namespace dockit::dexec {

std::string StoreRoot(const Globals& globals) {
  return globals.root.empty() ? DefaultRoot() : globals.root;
}

std::string Ago(int64_t unix_seconds) {
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  return sim::HumanDuration(std::max<int64_t>(0, now - unix_seconds)) + " ago";
}

}  // namespace dockit::dexec
