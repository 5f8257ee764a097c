#include "runtime/sandbox_stubs.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "runtime/user_lookup.hpp"

namespace dockit::runtime {

std::vector<std::string> MissingMountPoints(const std::vector<std::string>& lower_dirs,
                                            const std::vector<std::string>& targets) {
  std::vector<std::string> missing;
  for (const std::string& target : targets) {
    for (size_t end = target.find('/');; end = target.find('/', end + 1)) {
      std::string prefix = target.substr(0, end);
      if (!prefix.empty() && std::find(missing.begin(), missing.end(), prefix) == missing.end() &&
          !FindThroughLayers(lower_dirs, prefix))
        missing.push_back(prefix);
      if (end == std::string::npos) break;
    }
  }
  return missing;
}

void RemoveMountStubs(const std::string& upper_dir, std::vector<std::string> stubs) {
  std::sort(stubs.begin(), stubs.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& stub : stubs) {
    std::string path = upper_dir + "/" + stub;
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      rmdir(path.c_str());  // fails, as it should, when the step put something there
    } else if (S_ISREG(st.st_mode) && st.st_size == 0) {
      unlink(path.c_str());
    }
  }
}

}  // namespace dockit::runtime
