#include "runtime/sandbox_stubs.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "runtime/user_lookup.hpp"

namespace dockit::runtime {
namespace {

bool IsEmptyDirectory(const std::string& path) {
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return false;
  bool empty = true;
  while (dirent* entry = readdir(dir)) {
    if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) {
      empty = false;
      break;
    }
  }
  closedir(dir);
  return empty;
}

bool DeeperFirst(const std::string& a, const std::string& b) { return a.size() > b.size(); }

}  // namespace

MountStubs PlanMountStubs(const std::vector<std::string>& lower_dirs, const std::string& upper_dir,
                          const std::vector<std::string>& targets, const std::string& working_dir) {
  MountStubs stubs;
  auto seen = [&](const std::string& path) {
    return std::find(stubs.created.begin(), stubs.created.end(), path) != stubs.created.end() ||
           std::any_of(stubs.parents.begin(), stubs.parents.end(),
                       [&](const auto& parent) { return parent.first == path; });
  };
  for (const std::string& target : targets) {
    for (size_t end = target.find('/');; end = target.find('/', end + 1)) {
      std::string prefix = target.substr(0, end);
      bool kept = working_dir == prefix || working_dir.starts_with(prefix + "/");
      if (!prefix.empty() && !kept && !seen(prefix)) {
        std::optional<std::string> lower = FindThroughLayers(lower_dirs, prefix);
        struct stat st;
        if (!lower) {
          stubs.created.push_back(prefix);
        } else if (end != std::string::npos && lstat(lower->c_str(), &st) == 0 &&
                   S_ISDIR(st.st_mode) && lstat((upper_dir + "/" + prefix).c_str(), &st) != 0) {
          stubs.parents.emplace_back(prefix, *lower);
        }
      }
      if (end == std::string::npos) break;
    }
  }
  std::sort(stubs.created.begin(), stubs.created.end(), DeeperFirst);
  std::sort(stubs.parents.begin(), stubs.parents.end(),
            [](const auto& a, const auto& b) { return DeeperFirst(a.first, b.first); });
  return stubs;
}

void RemoveMountStubs(const std::string& upper_dir, const MountStubs& stubs) {
  for (const std::string& stub : stubs.created) {
    std::string path = upper_dir + "/" + stub;
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      rmdir(path.c_str());  // fails, as it should, when the step put something there
    } else if (S_ISREG(st.st_mode) && st.st_size == 0) {
      unlink(path.c_str());
    }
  }
  for (const auto& [relative, lower] : stubs.parents) {
    std::string path = upper_dir + "/" + relative;
    struct stat up, low;
    if (lstat(path.c_str(), &up) != 0 || lstat(lower.c_str(), &low) != 0) continue;
    // Only its mtime changed (by the stub coming and going): the lower copy is the same.
    if (S_ISDIR(up.st_mode) && up.st_mode == low.st_mode && up.st_uid == low.st_uid &&
        up.st_gid == low.st_gid && IsEmptyDirectory(path) &&
        getxattr(path.c_str(), "trusted.overlay.opaque", nullptr, 0) < 0)
      rmdir(path.c_str());
  }
}

}  // namespace dockit::runtime
